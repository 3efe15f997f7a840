import path from 'node:path';
import { exportOnnx, ONNX_OPSET } from '../../engine/onnx/export-onnx.js';
import { loadFlowFile } from '../../engine/project/flow-file.js';
import { assertWritableFolder, writeFileAtomic, type ReplaceRule } from '../../engine/project/write-atomic.js';
import { onePositional, parse, requiredString } from '../args.js';
import type { Command } from '../command.js';

const onnxRule: ReplaceRule = { what: 'an ONNX model', extensions: ['.onnx'] };

export const exportOnnxCommand: Command = {
  name: 'export-onnx',
  summary: 'write a trained model’s velocity field as ONNX (x [N,2], t [N,1] → v [N,2])',
  usage: 'export-onnx MODEL.flow -o OUT.onnx [--json]',
  options: {
    output: { type: 'string', short: 'o' },
    json: { type: 'boolean' },
  },
  async run(args, io) {
    const parsed = parse(args, this.options);
    const modelPath = onePositional(parsed, 'MODEL.flow');
    const outputPath = requiredString(parsed, 'output', 'OUT.onnx');
    await assertWritableFolder(outputPath, onnxRule);
    const { model } = await loadFlowFile(modelPath);
    io.ctx.signal.throwIfAborted();
    const bytes = exportOnnx(model);
    await writeFileAtomic(outputPath, bytes, onnxRule);
    const output = path.resolve(outputPath);
    io.result(
      [
        `Wrote the ${model.method} velocity field to ${output} (${bytes.length} bytes, ONNX opset ${ONNX_OPSET}).`,
        'Inputs: x float32 [N, 2] in model space (longer side spans [-4, 4], y up); t float32 [N, 1] or [1, 1], 0 = noise, 1 = picture.',
        'Output: v float32 [N, 2], dx/dt; integrate from t = 0 to 1 to draw the picture.',
      ].join('\n'),
      { output, bytes: bytes.length, method: model.method, opset: ONNX_OPSET, inputs: { x: ['N', 2], t: ['N', 1] }, outputs: { v: ['N', 2] } },
    );
  },
};
