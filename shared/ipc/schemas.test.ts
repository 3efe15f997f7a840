import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FlowGifError } from '../errors.js';
import { defaultRenderSettings } from '../render/render-settings.js';
import { stages } from '../job.js';
import type { JobMessage, TrajectoryData } from './contract.js';
import { decodeMessage, encodeMessage } from './codec.js';
import { validateJobMessage, validateRequest, validateResponse, validateResult } from './schemas.js';

function ipcError(pattern: RegExp): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof FlowGifError, `expected a FlowGifError, got ${String(error)}`);
    assert.equal(error.code, 'IPC_INVALID');
    assert.match(error.message, pattern);
    return true;
  };
}

const bounds = { xMin: -4, xMax: 4, yMin: -3, yMax: 3 };

function trajectory(particles: number, levels: number): TrajectoryData {
  return {
    particles,
    times: Float64Array.from({ length: levels }, (_, k) => k / (levels - 1)),
    positions: new Float32Array(levels * particles * 2),
    velocities: new Float32Array(levels * particles * 2),
    imageColours: new Uint8Array(particles * 4),
    inkColour: [20, 20, 30, 255],
    background: { rgba: [255, 255, 255, 255], transparent: false },
    bounds,
  };
}

test('valid requests pass and come out as clean copies (unknown keys dropped)', () => {
  const payload = validateRequest('image:open', { source: { kind: 'sample', name: 'heart.png', extra: 1 }, density: { mass: 'light' } });
  assert.deepEqual(payload, { source: { kind: 'sample', name: 'heart.png' }, density: { mass: 'light' } });
  const bytes = new Uint8Array([1, 2, 3]);
  const upload = validateRequest('image:open', { source: { kind: 'bytes', name: 'a.png', bytes } });
  assert.equal((upload.source as { bytes: Uint8Array }).bytes, bytes);
  assert.deepEqual(validateRequest('image:open', { source: { kind: 'text', text: 'Hi', font: 'Inter', weight: 'bold' } }), { source: { kind: 'text', text: 'Hi', font: 'Inter', weight: 'bold' } });
  assert.deepEqual(validateRequest('app:info', {}), {});
  const exported = validateRequest('export:start', { flow: { kind: 'exact', imageId: 'i1' }, format: 'gif', outputPath: '/tmp/a.gif', settings: defaultRenderSettings });
  assert.deepEqual(exported.settings, defaultRenderSettings);
});

test('bad requests are IPC_INVALID naming the channel and the field', () => {
  assert.throws(() => validateRequest('image:open', { source: { kind: 'url', path: 'x' } }), ipcError(/image:open request: source\.kind/));
  assert.throws(() => validateRequest('image:open', { source: { kind: 'bytes', name: 'a', bytes: [1, 2] } }), ipcError(/source\.bytes/));
  assert.throws(() => validateRequest('train:start', { imageId: 'i', method: 'fm', seconds: -1, seed: 0 }), ipcError(/train:start request: seconds/));
  assert.throws(() => validateRequest('train:start', { imageId: 'i', method: 'gan', seconds: 3, seed: 0 }), ipcError(/method/));
  assert.throws(() => validateRequest('preview:start', { flow: { kind: 'exact', imageId: 'i' }, particles: 1.5, seed: 0 }), ipcError(/particles/));
  assert.throws(() => validateRequest('preview:start', { flow: { kind: 'exact', imageId: 'i' }, particles: 2_000_000, seed: 0 }), ipcError(/particles/));
  assert.throws(() => validateRequest('job:cancel', {}), ipcError(/job:cancel request: jobId/));
  assert.throws(() => validateRequest('app:info', null), ipcError(/app:info request/));
  assert.throws(() => validateRequest('nope:nope' as never, {}), ipcError(/Unknown channel "nope:nope"/));
});

test('render settings: shape by the schema, ranges by resolveRenderSettings, both named', () => {
  const base = { flow: { kind: 'exact', imageId: 'i1' }, format: 'gif' };
  assert.throws(() => validateRequest('export:estimate', { ...base, settings: { ...defaultRenderSettings, size: 'big' } }), ipcError(/settings\.size/));
  assert.throws(() => validateRequest('export:estimate', { ...base, settings: { ...defaultRenderSettings, size: 5 } }), ipcError(/settings: .*size must be/));
  assert.throws(
    () => validateRequest('export:estimate', { ...base, settings: { ...defaultRenderSettings, timeline: { ...defaultRenderSettings.timeline, fps: 0 } } }),
    ipcError(/fps must be/),
  );
  const withCanvas = (canvas: unknown): unknown => validateRequest('export:estimate', { ...base, settings: { ...defaultRenderSettings, canvas } });
  assert.deepEqual((withCanvas({ width: 1200, height: 630 }) as { settings: { canvas: unknown } }).settings.canvas, { width: 1200, height: 630 });
  assert.equal((withCanvas('square') as { settings: { canvas: unknown } }).settings.canvas, 'square');
  assert.throws(() => withCanvas('round'), ipcError(/settings\.canvas/));
  const { canvas: _, ...older } = defaultRenderSettings;
  const before = validateRequest('export:estimate', { ...base, settings: older }) as { settings: { canvas: unknown } };
  assert.equal(before.settings.canvas, 'picture', 'settings saved before the canvas existed take the default');
  assert.throws(() => withCanvas({ width: 1200, height: 5 }), ipcError(/canvas width and height must be whole pixels from 16/));
});

test('responses: typed arrays by instance, shapes consistent, undefined keys may be absent', () => {
  const info = {
    imageId: 'i1',
    name: 'heart.png',
    originalWidth: 10,
    originalHeight: 8,
    bounds,
    density: { mass: 'auto', threshold: 0 },
    background: { rgba: [0, 0, 0, 255], transparent: false },
    densityPreview: { width: 2, height: 2, rgba: new Uint8Array(16) },
  };
  // `path` is absent: what a JSON transport makes of `path: undefined`.
  assert.equal(validateResponse('image:open', info).path, undefined);
  assert.throws(() => validateResponse('image:open', { ...info, densityPreview: { width: 2, height: 2, rgba: new Uint8Array(3) } }), ipcError(/densityPreview\.rgba/));
  assert.throws(() => validateResponse('image:open', { ...info, densityPreview: { width: 2, height: 2, rgba: Array(16).fill(0) } }), ipcError(/densityPreview\.rgba/));
  const ok = validateResult('job:cancel', { ok: true, value: { cancelled: true } });
  assert.deepEqual(ok, { ok: true, value: { cancelled: true } });
  const failed = validateResult('job:cancel', { ok: false, error: { name: 'FlowGifError', message: 'm', code: 'NOT_FOUND' } });
  assert.equal(failed.ok, false);
  assert.throws(() => validateResult('job:cancel', { ok: false, error: { name: 'E', message: 'm', code: 'MADE_UP' } }), ipcError(/error: code/));
  assert.throws(() => validateResult('job:cancel', { value: 1 }), ipcError(/ok must be/));
});

test('job messages: each type and kind, and the done value checked against its kind', () => {
  const messages: JobMessage[] = [
    { jobId: 'j', kind: 'train', type: 'progress', progress: { stage: 'train', done: 1, total: 10, metrics: { loss: 0.25, step: 1 } } },
    { jobId: 'j', kind: 'train', type: 'samples', points: new Float32Array(6), step: 40 },
    { jobId: 'j', kind: 'preview', type: 'done', value: trajectory(3, 4) },
    { jobId: 'j', kind: 'train', type: 'done', value: { modelId: 'm', method: 'fm', steps: 3, seconds: 1, finalLoss: 0.5, backend: 'wasm' } },
    { jobId: 'j', kind: 'export', type: 'failed', error: { name: 'FlowGifError', message: 'no', code: 'OUTPUT_UNWRITABLE' } },
    { jobId: 'j', kind: 'export', type: 'cancelled' },
  ];
  for (const message of messages) {
    // Through the codec too, as the web host sends them.
    assert.deepEqual(validateJobMessage(decodeMessage(encodeMessage(message))), message);
  }
  assert.throws(() => validateJobMessage({ jobId: 'j', kind: 'export', type: 'done', value: trajectory(3, 4) }), ipcError(/job message: value/));
  assert.throws(() => validateJobMessage({ jobId: 'j', kind: 'preview', type: 'done', value: { ...trajectory(3, 4), positions: new Float32Array(5) } }), ipcError(/positions and velocities/));
  assert.throws(() => validateJobMessage({ jobId: 'j', kind: 'preview', type: 'done', value: { ...trajectory(3, 4), times: [0, 1] } }), ipcError(/value\.times/));
  assert.throws(() => validateJobMessage({ jobId: 'j', kind: 'train', type: 'samples', points: [1, 2], step: 1 }), ipcError(/points/));
  assert.throws(() => validateJobMessage({ jobId: 'j', kind: 'train', type: 'progress', progress: { stage: 'dance', done: 0, total: 1 } }), ipcError(/progress\.stage/));
  assert.throws(() => validateJobMessage({ jobId: 'j', kind: 'train', type: 'exploded' }), ipcError(/type/));
});

test('progress validates exactly the stages of shared/job.ts: each one passes, a removed one does not', () => {
  const progressIn = (stage: string): unknown => ({ jobId: 'j', kind: 'export', type: 'progress', progress: { stage, done: 0, total: 1 } });
  for (const stage of stages) assert.equal((validateJobMessage(progressIn(stage)) as { progress: { stage: string } }).progress.stage, stage);
  // 'render' was in the list but never emitted; a schema with its own copy of the list would still take it.
  assert.throws(() => validateJobMessage(progressIn('render')), ipcError(/progress\.stage/));
});

test('a project saved before mass existed loads: invert becomes light, no invert dark (both weighed by luma)', () => {
  const project = {
    version: 1,
    image: { name: 'heart.png' },
    density: { invert: true, threshold: 3 },
    settings: { ...defaultRenderSettings, background: [255, 255, 255, 255] },
    training: { method: 'fm', seconds: 2, seed: 1 },
  };
  const saved = (density: unknown): unknown => validateRequest('project:save', { path: '/tmp/p.flowgif', project: { ...project, density } });
  assert.deepEqual((saved({ invert: true, threshold: 3 }) as { project: { density: unknown } }).project.density, { mass: 'light', threshold: 3 });
  assert.deepEqual((saved({ invert: false, threshold: 0 }) as { project: { density: unknown } }).project.density, { mass: 'dark', threshold: 0 });
  assert.deepEqual((saved({ mass: 'auto', threshold: 0 }) as { project: { density: unknown } }).project.density, { mass: 'auto', threshold: 0 });
});
