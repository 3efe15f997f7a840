import { ProtoWriter } from './protobuf-writer.js';

/**
 * The few ONNX messages an exported velocity field needs, as plain data, and their encoding.
 * Field numbers are those of onnx/onnx.proto3; only float and int64 tensors occur here.
 */
export const ONNX_IR_VERSION = 8;
/** Opset 17: every op we emit has had its current definition since ≤ 16 (Identity). */
export const ONNX_OPSET = 17;

export type OnnxDataType = 'float' | 'int64';

const dataTypeCode: Readonly<Record<OnnxDataType, number>> = { float: 1, int64: 7 };

export interface OnnxTensor {
  readonly name: string;
  readonly dataType: OnnxDataType;
  readonly dims: readonly number[];
  /** Float32 data for 'float', integers for 'int64'. */
  readonly data: Float32Array | readonly number[];
}

export type OnnxAttribute =
  | { readonly name: string; readonly type: 'int'; readonly value: number }
  | { readonly name: string; readonly type: 'ints'; readonly value: readonly number[] }
  | { readonly name: string; readonly type: 'float'; readonly value: number };

export interface OnnxNode {
  readonly opType: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly name: string;
  readonly attributes?: readonly OnnxAttribute[];
}

/** A dimension is a fixed size or a symbolic name such as 'N'. */
export interface OnnxValueInfo {
  readonly name: string;
  readonly dataType: OnnxDataType;
  readonly shape: ReadonlyArray<number | string>;
  readonly doc?: string;
}

export interface OnnxGraph {
  readonly name: string;
  readonly nodes: readonly OnnxNode[];
  readonly initializers: readonly OnnxTensor[];
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
  readonly doc?: string;
}

export interface OnnxModel {
  readonly graph: OnnxGraph;
  readonly producerName: string;
  readonly producerVersion: string;
  readonly doc?: string;
  /** Key–value pairs shown by tools such as Netron; ours name the method and time convention. */
  readonly metadata?: Readonly<Record<string, string>>;
}

const attributeTypeCode = { float: 1, int: 2, ints: 7 } as const;

export function encodeOnnxModel(model: OnnxModel): Uint8Array {
  const w = new ProtoWriter();
  w.int(1, ONNX_IR_VERSION);
  w.string(2, model.producerName);
  w.string(3, model.producerVersion);
  if (model.doc !== undefined) w.string(6, model.doc);
  w.message(7, (g) => writeGraph(g, model.graph));
  w.message(8, (o) => o.string(1, '').int(2, ONNX_OPSET));
  for (const [key, value] of Object.entries(model.metadata ?? {})) w.message(14, (e) => e.string(1, key).string(2, value));
  return w.finish();
}

function writeGraph(w: ProtoWriter, graph: OnnxGraph): void {
  for (const node of graph.nodes) w.message(1, (n) => writeNode(n, node));
  w.string(2, graph.name);
  for (const tensor of graph.initializers) w.message(5, (t) => writeTensor(t, tensor));
  if (graph.doc !== undefined) w.string(10, graph.doc);
  for (const input of graph.inputs) w.message(11, (v) => writeValueInfo(v, input));
  for (const output of graph.outputs) w.message(12, (v) => writeValueInfo(v, output));
}

function writeNode(w: ProtoWriter, node: OnnxNode): void {
  for (const input of node.inputs) w.string(1, input);
  for (const output of node.outputs) w.string(2, output);
  w.string(3, node.name);
  w.string(4, node.opType);
  for (const attribute of node.attributes ?? []) {
    w.message(5, (a) => {
      a.string(1, attribute.name);
      if (attribute.type === 'float') a.float(2, attribute.value);
      else if (attribute.type === 'int') a.int(3, attribute.value);
      else a.packedInts(8, attribute.value);
      a.int(20, attributeTypeCode[attribute.type]);
    });
  }
}

function writeTensor(w: ProtoWriter, tensor: OnnxTensor): void {
  const count = tensor.dims.reduce((a, b) => a * b, 1);
  if (tensor.data.length !== count) {
    throw new RangeError(`ONNX tensor ${tensor.name}: ${tensor.data.length} values for dims [${tensor.dims.join(', ')}]`);
  }
  w.packedInts(1, tensor.dims);
  w.int(2, dataTypeCode[tensor.dataType]);
  w.string(8, tensor.name);
  // raw_data is little-endian whatever the host's byte order; DataView makes that explicit.
  const width = tensor.dataType === 'float' ? 4 : 8;
  const raw = new Uint8Array(count * width);
  const view = new DataView(raw.buffer);
  for (let i = 0; i < count; i++) {
    const value = tensor.data[i]!;
    if (tensor.dataType === 'float') view.setFloat32(4 * i, value, true);
    else view.setBigInt64(8 * i, BigInt(value), true);
  }
  w.bytes(9, raw);
}

function writeValueInfo(w: ProtoWriter, info: OnnxValueInfo): void {
  w.string(1, info.name);
  w.message(2, (type) =>
    type.message(1, (tensorType) => {
      tensorType.int(1, dataTypeCode[info.dataType]);
      tensorType.message(2, (shape) => {
        for (const dim of info.shape) shape.message(1, (d) => (typeof dim === 'number' ? d.int(1, dim) : d.string(2, dim)));
      });
    }),
  );
  if (info.doc !== undefined) w.string(3, info.doc);
}

/**
 * Builds a graph op by op, naming intermediate values, so an exporter reads like the forward
 * pass it mirrors: `const h = g.op('Tanh', [g.op('MatMul', [x, w])])`.
 */
export class GraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxTensor[] = [];
  private counter = 0;

  /** A float initializer; returns its name. */
  floats(name: string, dims: readonly number[], data: Float32Array | readonly number[]): string {
    this.initializers.push({ name, dataType: 'float', dims, data: data instanceof Float32Array ? data : Float32Array.from(data) });
    return name;
  }

  /** An int64 initializer (shapes, axes); returns its name. */
  ints(name: string, dims: readonly number[], data: readonly number[]): string {
    this.initializers.push({ name, dataType: 'int64', dims, data });
    return name;
  }

  /** Adds one node with a single output; `output` names it, else a fresh name is made. */
  op(opType: string, inputs: readonly string[], options: { attributes?: readonly OnnxAttribute[]; output?: string } = {}): string {
    const id = this.counter++;
    const output = options.output ?? `${opType.toLowerCase()}_${id}`;
    this.nodes.push({ opType, inputs, outputs: [output], name: `${opType}_${id}`, ...(options.attributes ? { attributes: options.attributes } : {}) });
    return output;
  }
}
