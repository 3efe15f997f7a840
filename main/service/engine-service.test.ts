import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ExportDone, ImageInfo, ProjectData, SizeEstimate, TrainDone, TrajectoryData } from '../../shared/ipc/contract.js';
import { resolveRenderSettings } from '../../shared/render/render-settings.js';
import { bundledSamplesDir } from '../engine/image/samples.js';
import { loadBackend } from '../engine/train/backend.js';
import { EngineService } from './engine-service.js';
import { makeTestPicture } from '../tools/fixture-pictures.js';
import { type JobWatcher, ok } from './job-watcher.test-util.js';
import { startTestService, stopTestService, type TestService } from './test-service.test-util.js';

let root: string;
let service: EngineService;
let watcher: JobWatcher;
let heart: ImageInfo;
let trained: TrainDone;

/** Tiny renders: a few hundred particles, 48 px, 0.5 s each way (18 frames with the default hold and way back). */
const smallSettings = resolveRenderSettings({ size: 48, particles: 300, timeline: { durationSeconds: 0.5, fps: 10 } });

let running: TestService;

before(async () => {
  running = await startTestService('flowgif-service-', { snapshotSeconds: 0.5 });
  ({ root, service, watcher, heart } = running);
});

after(() => stopTestService(running));

/** The opened heart as a project, before its model is saved beside it. */
function heartProject(): ProjectData {
  return {
    version: 1,
    image: { name: heart.name, path: heart.path },
    density: heart.density,
    settings: smallSettings,
    training: { method: 'fm', seconds: 2, seed: 1 },
    modelPath: undefined,
  };
}

test('app:info: host, backend, bundled samples, no recent projects yet', async () => {
  const info = await ok(service, 'app:info', {});
  assert.equal(info.host, 'web');
  assert.match(info.version, /^\d+\.\d+\.\d+/);
  // Both methods train on onnxruntime unless TensorFlow.js has a GPU or FLOWGIF_BACKEND keeps it.
  const { fm, ffjord } = info.trainingBackends;
  assert.deepEqual(ffjord, fm, 'both methods choose their backend alike');
  const keptOnTfjs = !['', 'auto'].includes(process.env['FLOWGIF_BACKEND'] ?? '') || (fm.gpu && fm.name !== 'onnxruntime');
  if (keptOnTfjs) assert.ok(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'].includes(fm.name), fm.name);
  else assert.ok(fm.name === 'onnxruntime' && /^(CPU|GPU) \(onnxruntime/.test(fm.label), JSON.stringify(fm));
  assert.equal(info.samples[0]?.name, 'flowgif-mark.png');
  assert.ok(info.samples.some((s) => s.name === 'heart.png' && s.title === 'Heart'));
  assert.ok(path.isAbsolute(info.defaultExportFolder));
  assert.deepEqual(info.recentProjects, []);
});

test('image:open: a sample becomes ImageInfo with its density as a picture', async () => {
  assert.equal(heart.name, 'heart.png');
  assert.equal(heart.path, path.join(bundledSamplesDir(), 'heart.png'));
  assert.ok(heart.originalWidth > 0 && heart.originalHeight > 0);
  assert.equal(Math.max(heart.bounds.xMax, heart.bounds.yMax), 4);
  assert.deepEqual(heart.density, { mass: 'auto', threshold: 0 });
  assert.deepEqual(heart.background, { rgba: [255, 255, 255, 255], transparent: false }, 'the heart sits on its own white');
  const { width, height, rgba } = heart.densityPreview;
  assert.equal(rgba.length, 4 * width * height);
  assert.ok(rgba.some((v, i) => i % 4 === 0 && v < 128), 'mass shows dark');
  assert.ok(rgba.some((v, i) => i % 4 === 0 && v === 255), 'empty space shows white');
});

test('image:open refuses bad input with the right code', async () => {
  const code = async (payload: unknown): Promise<string | undefined> => {
    const result = await service.invoke('image:open', payload as never);
    assert.equal(result.ok, false);
    return result.ok ? undefined : result.error.code;
  };
  assert.match((await code({ source: { kind: 'bytes', name: 'junk.png', bytes: new TextEncoder().encode('not a picture at all') } }))!, /^IMAGE_/);
  assert.equal(await code({ source: { kind: 'bytes', name: 'empty.png', bytes: new Uint8Array(0) } }), 'IMAGE_EMPTY');
  assert.equal(await code({ source: { kind: 'path', path: path.join(root, 'missing.png') } }), 'IMAGE_NOT_FOUND');
  assert.equal(await code({ source: { kind: 'path', path: 'relative.png' } }), 'INVALID_ARGUMENT');
  assert.equal(await code({ source: { kind: 'sample', name: 'nope.png' } }), 'NOT_FOUND');
  assert.equal(await code({ source: { kind: 'sample', name: '../package.json' } }), 'IPC_INVALID');
  assert.equal(await code({ source: { kind: 'bytes', name: 'x.png', bytes: [1, 2, 3] } }), 'IPC_INVALID');
  const dialog = await service.invoke('dialog:open-image', {});
  assert.ok(!dialog.ok && dialog.error.code === 'HOST_UNSUPPORTED');
});

test('image:open of text: the service draws it in the bundled font and opens it like dropped bytes', async () => {
  const text = await ok(service, 'image:open', { source: { kind: 'text', text: 'Hi', weight: 'regular' } });
  assert.equal(text.name, 'text:Hi');
  assert.equal(text.path, undefined, 'no file behind it');
  // Drawn at the largest working side, opened at the default one: wider than tall, like "Hi".
  assert.ok(text.originalWidth > 2000 && text.originalHeight < text.originalWidth, `${text.originalWidth}×${text.originalHeight}`);
  const { rgba } = text.densityPreview;
  assert.ok(rgba.some((v, i) => i % 4 === 0 && v < 128) && rgba.some((v, i) => i % 4 === 0 && v === 255), 'ink on white');
  const bad = async (source: unknown): Promise<string> => {
    const result = await service.invoke('image:open', { source } as never);
    assert.equal(result.ok, false);
    return result.ok ? '' : `${result.error.code}: ${result.error.message}`;
  };
  assert.match(await bad({ kind: 'text', text: '  ' }), /^INVALID_ARGUMENT: The text is empty/);
  assert.match(await bad({ kind: 'text', text: 'x'.repeat(201) }), /^INVALID_ARGUMENT: The text is 201 characters long/);
  assert.match(await bad({ kind: 'text', text: 'Hi', font: '/etc/passwd.ttf' }), /^IPC_INVALID/, 'only bundled fonts cross the IPC');
  assert.match(await bad({ kind: 'text', text: 'Hi', weight: 'heavy' }), /^IPC_INVALID/);
});

test('preview of the exact flow: progress, then a trajectory of the requested shape', async () => {
  const { jobId } = await ok(service, 'preview:start', { flow: { kind: 'exact', imageId: heart.imageId }, particles: 400, seed: 1 });
  const data = await watcher.done<TrajectoryData>(jobId);
  const levels = data.times.length;
  assert.ok(levels >= 2 && data.times[0] === 0 && data.times[levels - 1] === 1);
  assert.equal(data.particles, 400);
  assert.equal(data.positions.length, levels * 400 * 2);
  assert.equal(data.velocities.length, levels * 400 * 2);
  assert.equal(data.imageColours.length, 400 * 4);
  assert.deepEqual(data.bounds, heart.bounds);
  const messages = watcher.messages(jobId);
  assert.ok(messages.some((m) => m.type === 'progress'));
  assert.equal(messages.at(-1)?.type, 'done');
  assert.deepEqual(service.runningJobs(), []);
  const stale = await service.invoke('preview:start', { flow: { kind: 'model', modelId: 'no-such-model' }, particles: 10, seed: 0 });
  assert.ok(!stale.ok && stale.error.code === 'NOT_FOUND');
});

test("the exact flow's preview starts from the noise its ref names: fitted by default, round on request", async () => {
  const banner = await makeTestPicture('banner');
  const image = await ok(service, 'image:open', { source: { kind: 'bytes', name: banner.file, bytes: new Uint8Array(banner.bytes) } });
  const startStds = async (noise: 'fitted' | 'round' | undefined): Promise<[number, number]> => {
    const flow = { kind: 'exact', imageId: image.imageId, ...(noise === undefined ? {} : { noise }) } as const;
    const { jobId } = await ok(service, 'preview:start', { flow, particles: 2000, seed: 3 });
    const data = await watcher.done<TrajectoryData>(jobId);
    let sx = 0;
    let sy = 0;
    for (let i = 0; i < 2 * data.particles; i += 2) {
      sx += data.positions[i]! ** 2;
      sy += data.positions[i + 1]! ** 2;
    }
    return [Math.sqrt(sx / data.particles), Math.sqrt(sy / data.particles)];
  };
  const [fx, fy] = await startStds(undefined);
  assert.ok(Math.abs(fx - 1) < 0.05 && Math.abs(fy - 0.2) < 0.01, `default (fitted): ${fx}, ${fy}`);
  const [rx, ry] = await startStds('round');
  assert.ok(Math.abs(rx - 1) < 0.05 && Math.abs(ry - 1) < 0.05, `round: ${rx}, ${ry}`);
  const bad = await service.invoke('preview:start', { flow: { kind: 'exact', imageId: image.imageId, noise: 'oval' as never }, particles: 10, seed: 0 });
  assert.ok(!bad.ok && bad.error.code === 'IPC_INVALID', bad.ok ? 'accepted' : bad.error.code);
});

test('training: progress, live samples, done', async () => {
  const { jobId } = await ok(service, 'train:start', { imageId: heart.imageId, method: 'fm', seconds: 2, seed: 1 });
  trained = await watcher.done<TrainDone>(jobId);
  assert.equal(trained.method, 'fm');
  assert.ok(trained.steps > 0 && Number.isFinite(trained.finalLoss));
  const messages = watcher.messages(jobId);
  const progress = messages.filter((m) => m.type === 'progress');
  assert.ok(progress.length >= 2);
  assert.ok(progress.some((m) => m.type === 'progress' && m.progress.stage === 'train' && m.progress.metrics?.['loss'] !== undefined));
  const samples = messages.filter((m) => m.type === 'samples');
  assert.ok(samples.length >= 1, 'a sample cloud every 0.5 s of a 2 s training');
  for (const m of samples) assert.ok(m.type === 'samples' && m.points.length === 3000 * 2 && m.points.every(Number.isFinite));
  // Saved in the app's temp folder as it finished.
  assert.ok((await fs.readdir(path.join(root, 'temp', 'models'))).includes(`${trained.modelId}.flow`));
});

test('the trained model previews, estimates and exports a small GIF', async () => {
  const flow = { kind: 'model', modelId: trained.modelId } as const;
  const { jobId } = await ok(service, 'preview:start', { flow, particles: 300, seed: 2 });
  const data = await watcher.done<TrajectoryData>(jobId);
  assert.equal(data.positions.length, data.times.length * 300 * 2);
  assert.ok(data.positions.every(Number.isFinite));

  const estimateJob = await ok(service, 'export:estimate', { flow, format: 'gif', settings: smallSettings });
  const estimate = await watcher.done<SizeEstimate>(estimateJob.jobId);
  assert.ok(estimate.bytes > 0 && estimate.lowBytes <= estimate.bytes && estimate.bytes <= estimate.highBytes);

  const outputPath = path.join(root, 'out.gif');
  const started = await ok(service, 'export:start', { flow, format: 'gif', outputPath, settings: smallSettings });
  const done = await watcher.done<ExportDone>(started.jobId);
  assert.equal(done.outputPath, outputPath);
  assert.equal(done.frames, 5 + 10 + 3);
  assert.equal(Math.max(done.width, done.height), 48);
  assert.equal((await fs.stat(outputPath)).size, done.sizeBytes);
  assert.ok(watcher.messages(started.jobId).some((m) => m.type === 'progress' && m.progress.stage === 'encode'));
});

test('a morph from the trained model into another picture, and a sequence, export through the same request', async () => {
  const star = await ok(service, 'image:open', { source: { kind: 'sample', name: 'star.jpg' } });
  const flow = { kind: 'model', modelId: trained.modelId } as const;
  const then = [{ kind: 'exact', imageId: star.imageId }] as const;
  const estimateJob = await ok(service, 'export:estimate', { flow, sequence: { then, style: 'dissolve', fromNoise: false }, format: 'gif', settings: smallSettings });
  assert.ok((await watcher.done<SizeEstimate>(estimateJob.jobId)).bytes > 0);

  const morph = path.join(root, 'morph.gif');
  const started = await ok(service, 'export:start', { flow, sequence: { then, style: 'direct', fromNoise: false }, format: 'gif', outputPath: morph, settings: smallSettings });
  const done = await watcher.done<ExportDone>(started.jobId);
  // The heart held 1 s (10 frames), 5 frames to the star, the star held, 3 back (both ends left out).
  assert.equal(done.frames, 10 + 5 + 10 + 3);
  assert.equal((await fs.stat(morph)).size, done.sizeBytes);

  const sequence = path.join(root, 'sequence.gif');
  const again = await ok(service, 'export:start', {
    flow: { kind: 'exact', imageId: heart.imageId },
    sequence: { then: [...then, flow], style: 'direct', fromNoise: true },
    format: 'gif',
    outputPath: sequence,
    settings: smallSettings,
  });
  // Noise → heart, held; → star, held; → the model's heart, held; back to the noise.
  assert.equal((await watcher.done<ExportDone>(again.jobId)).frames, 5 + 10 + 4 + 10 + 4 + 10 + 3);

  const stale = await service.invoke('export:start', { flow, sequence: { then: [{ kind: 'exact', imageId: 'gone' }], style: 'direct', fromNoise: false }, format: 'gif', outputPath: path.join(root, 'stale.gif'), settings: smallSettings });
  assert.equal(stale.ok, false);
  await assert.rejects(fs.stat(path.join(root, 'stale.gif')));
});

test('the default export folder is created on first use', async () => {
  const { defaultExportFolder } = await ok(service, 'app:info', {});
  const outputPath = path.join(defaultExportFolder, 'heart.gif');
  const started = await ok(service, 'export:start', { flow: { kind: 'exact', imageId: heart.imageId }, format: 'gif', outputPath, settings: smallSettings });
  const done = await watcher.done<ExportDone>(started.jobId);
  assert.equal((await fs.stat(done.outputPath)).size, done.sizeBytes);
});

test('export to a folder that cannot be written fails at once with OUTPUT_UNWRITABLE', async () => {
  const result = await service.invoke('export:start', {
    flow: { kind: 'exact', imageId: heart.imageId },
    format: 'gif',
    outputPath: path.join(root, 'no', 'such', 'folder', 'a.gif'),
    settings: smallSettings,
  });
  assert.ok(!result.ok && result.error.code === 'OUTPUT_UNWRITABLE', JSON.stringify(result));
});

test('cancelling a training: a cancelled message, not failed; no job, tensor or file left', async () => {
  const { tf } = await loadBackend();
  const tensorsBefore = tf.memory().numTensors;
  const modelsBefore = await fs.readdir(path.join(root, 'temp', 'models'));
  const { jobId } = await ok(service, 'train:start', { imageId: heart.imageId, method: 'fm', seconds: 600, seed: 3 });
  await watcher.next(jobId, (m) => m.type === 'progress' && m.progress.stage === 'train');
  assert.deepEqual(service.runningJobs('train'), [jobId]);
  assert.deepEqual(await ok(service, 'job:cancel', { jobId }), { cancelled: true });
  const end = await watcher.ended(jobId);
  assert.equal(end.type, 'cancelled');
  assert.equal(watcher.messages(jobId).at(-1), end, 'nothing after the end');
  assert.deepEqual(service.runningJobs(), []);
  assert.equal(tf.memory().numTensors, tensorsBefore);
  assert.deepEqual(await fs.readdir(path.join(root, 'temp', 'models')), modelsBefore);
  assert.deepEqual(await ok(service, 'job:cancel', { jobId }), { cancelled: false });
});

test('stop and keep: a 600 s training asked to finish ends done with its model so far, saved and previewable', async () => {
  const { tf } = await loadBackend();
  const tensorsBefore = tf.memory().numTensors;
  const { jobId } = await ok(service, 'train:start', { imageId: heart.imageId, method: 'fm', seconds: 600, seed: 4 });
  const seen = await watcher.next(jobId, (m) => m.type === 'progress' && m.progress.stage === 'train' && (m.progress.metrics?.['step'] ?? 0) >= 5);
  const stepsSeen = seen.type === 'progress' ? seen.progress.metrics?.['step'] ?? 0 : 0;
  const asked = performance.now();
  assert.deepEqual(await ok(service, 'train:finish', { jobId }), { finishing: true });
  const kept = await watcher.done<TrainDone>(jobId);
  const waited = performance.now() - asked;
  assert.ok(kept.steps >= stepsSeen, `${kept.steps} steps kept, ${stepsSeen} seen before the stop`);
  assert.ok(kept.seconds < 60, `it stopped when asked, not at its 600 s budget (${kept.seconds} s)`);
  assert.ok(waited < 30_000, `done ${waited} ms after the stop`);
  assert.ok(Number.isFinite(kept.finalLoss));
  assert.ok((await fs.readdir(path.join(root, 'temp', 'models'))).includes(`${kept.modelId}.flow`), 'saved like a finished training');
  const preview = await ok(service, 'preview:start', { flow: { kind: 'model', modelId: kept.modelId }, particles: 200, seed: 0 });
  const paths = await watcher.done<TrajectoryData>(preview.jobId);
  assert.equal(paths.particles, 200);
  assert.deepEqual(service.runningJobs(), []);
  assert.equal(tf.memory().numTensors, tensorsBefore);
  // Ended: nothing left to finish.
  assert.deepEqual(await ok(service, 'train:finish', { jobId }), { finishing: false });
});

test('stop and keep while the training still waits its turn cancels it: there is no model yet', async () => {
  const first = await ok(service, 'train:start', { imageId: heart.imageId, method: 'fm', seconds: 600, seed: 5 });
  await watcher.next(first.jobId, (m) => m.type === 'progress' && m.progress.stage === 'train');
  const second = await ok(service, 'train:start', { imageId: heart.imageId, method: 'fm', seconds: 600, seed: 6 });
  await watcher.next(second.jobId, (m) => m.type === 'progress' && m.progress.stage === 'queued');
  assert.deepEqual(await ok(service, 'train:finish', { jobId: second.jobId }), { finishing: true });
  assert.equal((await watcher.ended(second.jobId)).type, 'cancelled');
  assert.deepEqual(await ok(service, 'job:cancel', { jobId: first.jobId }), { cancelled: true });
  assert.equal((await watcher.ended(first.jobId)).type, 'cancelled');
});

test('project save → open: the same project, the model beside it, the recent list updated', async () => {
  const projectPath = path.join(root, 'projects', 'heart');
  await fs.mkdir(path.dirname(projectPath));
  const project = heartProject();
  const saved = await ok(service, 'project:save', { path: projectPath, project, modelId: trained.modelId });
  assert.equal(saved.path, `${projectPath}.flowgif`);
  const onDisk = JSON.parse(await fs.readFile(saved.path, 'utf8')) as ProjectData;
  assert.equal(onDisk.modelPath, 'heart.flow', 'stored relative to the project');
  assert.equal(onDisk.image.path, heart.path, 'a picture elsewhere keeps its absolute path');

  const opened = await ok(service, 'project:open', { path: saved.path });
  assert.deepEqual(opened.project, { ...project, modelPath: path.join(path.dirname(projectPath), 'heart.flow') });
  assert.equal(opened.image.path, heart.path);
  assert.deepEqual(opened.image.densityPreview.rgba, heart.densityPreview.rgba);
  assert.ok(opened.modelId !== undefined && opened.modelId !== trained.modelId);
  assert.equal(opened.modelMethod, trained.method, "the model's own training method, for what it can do (swirl)");
  const { jobId } = await ok(service, 'preview:start', { flow: { kind: 'model', modelId: opened.modelId }, particles: 50, seed: 0 });
  await watcher.done(jobId);
  assert.deepEqual((await ok(service, 'app:info', {})).recentProjects, [saved.path]);

  const bad = path.join(root, 'projects', 'bad.flowgif');
  await fs.writeFile(bad, '{"version": 2}');
  const refused = await service.invoke('project:open', { path: bad });
  assert.ok(!refused.ok && refused.error.code === 'INVALID_ARGUMENT' && /version/.test(refused.error.message));
});

test('a project of an uploaded picture writes the picture beside it, so it reopens', async () => {
  const bytes = await fs.readFile(path.join(bundledSamplesDir(), 'star.jpg'));
  const star = await ok(service, 'image:open', { source: { kind: 'bytes', name: 'star.jpg', bytes }, density: { threshold: 10 } });
  assert.equal(star.path, undefined);
  assert.equal(star.density.threshold, 10);
  const project: ProjectData = {
    version: 1,
    image: { name: 'star.jpg', path: undefined },
    density: star.density,
    settings: smallSettings,
    training: { method: 'fm', seconds: 5, seed: 0 },
    modelPath: undefined,
  };
  const projectPath = path.join(root, 'projects', 'star.flowgif');
  await ok(service, 'project:save', { path: projectPath, project });
  const opened = await ok(service, 'project:open', { path: projectPath });
  assert.equal(opened.image.path, path.join(root, 'projects', 'star-star.jpg'));
  assert.equal(opened.modelId, undefined);
  assert.equal(opened.modelMethod, undefined);
  assert.deepEqual(opened.image.densityPreview.rgba, star.densityPreview.rgba);
});

test('a project save never replaces a file of another kind, even with consent, and writes nothing beside it', async () => {
  const dir = path.join(root, 'not-a-project');
  await fs.mkdir(dir, { recursive: true });
  const victim = path.join(dir, 'thesis.docx');
  await fs.writeFile(victim, 'my thesis');
  const project: ProjectData = {
    version: 1,
    image: { name: 'heart.png', path: path.join(bundledSamplesDir(), 'heart.png') },
    density: heart.density,
    settings: smallSettings,
    training: { method: 'fm', seconds: 5, seed: 0 },
    modelPath: undefined,
  };
  const refused = await service.invoke('project:save', { path: victim, project, modelId: trained.modelId, replace: true });
  assert.ok(!refused.ok, 'refused');
  assert.equal(refused.error.code, 'OUTPUT_UNWRITABLE');
  assert.match(refused.error.message, /thesis\.docx/);
  assert.equal(await fs.readFile(victim, 'utf8'), 'my thesis');
  assert.deepEqual(await fs.readdir(dir), ['thesis.docx'], 'no model written beside it');
});

test('an existing file is refused without consent, naming it, and replaced with it', async () => {
  const flow = { kind: 'exact', imageId: heart.imageId } as const;
  const outputPath = path.join(root, 'exists.gif');
  const before = 'a file the user already had';
  await fs.writeFile(outputPath, before);
  const refused = await service.invoke('export:start', { flow, format: 'gif', outputPath, settings: smallSettings });
  assert.ok(!refused.ok, 'refused');
  assert.equal(refused.error.code, 'OUTPUT_EXISTS');
  assert.equal(refused.error.file, outputPath);
  assert.equal(refused.error.message, `${outputPath} already exists.`);
  assert.equal(await fs.readFile(outputPath, 'utf8'), before, 'untouched');
  assert.deepEqual(service.runningJobs(), [], 'no job was started');

  const started = await ok(service, 'export:start', { flow, format: 'gif', outputPath, settings: smallSettings, replace: true });
  const done = await watcher.done<ExportDone>(started.jobId);
  assert.equal((await fs.stat(outputPath)).size, done.sizeBytes);
  assert.equal((await fs.readFile(outputPath)).subarray(0, 3).toString('latin1'), 'GIF');

  // PNG frames: a folder that holds files is asked about (what the engine then does with it is its own rule).
  const frames = path.join(root, 'frames');
  await fs.mkdir(frames);
  await fs.writeFile(path.join(frames, 'frame-0000.png'), 'old frame');
  const notEmpty = await service.invoke('export:start', { flow, format: 'png', outputPath: `${frames}/`, settings: smallSettings });
  assert.ok(!notEmpty.ok && notEmpty.error.code === 'OUTPUT_EXISTS' && notEmpty.error.file === frames, JSON.stringify(notEmpty));
});

test('saving a project over existing files is refused without consent, naming them, and replaces them with it', async () => {
  const project = heartProject();
  const dir = path.join(root, 'replace-projects');
  await fs.mkdir(dir);
  const projectPath = path.join(dir, 'mine.flowgif');
  // Only the model beside it exists: it would be replaced too, so it is asked about.
  await fs.writeFile(path.join(dir, 'mine.flow'), 'a model of the user');
  const modelOnly = await service.invoke('project:save', { path: projectPath, project, modelId: trained.modelId });
  assert.ok(!modelOnly.ok && modelOnly.error.code === 'OUTPUT_EXISTS', JSON.stringify(modelOnly));
  assert.equal(modelOnly.error.message, `${path.join(dir, 'mine.flow')} already exists.`);
  await assert.rejects(fs.stat(projectPath), { code: 'ENOENT' });

  await ok(service, 'project:save', { path: projectPath, project, modelId: trained.modelId, replace: true });
  const both = await service.invoke('project:save', { path: path.join(dir, 'mine'), project, modelId: trained.modelId });
  assert.ok(!both.ok && both.error.code === 'OUTPUT_EXISTS', JSON.stringify(both));
  assert.equal(both.error.file, projectPath, 'the project is the file named first');
  assert.equal(both.error.message, `${projectPath} and ${path.join(dir, 'mine.flow')} already exist.`);

  const text = await fs.readFile(projectPath, 'utf8');
  await ok(service, 'project:save', { path: projectPath, project: { ...project, training: { ...project.training, seed: 7 } }, replace: true });
  assert.notEqual(await fs.readFile(projectPath, 'utf8'), text, 'replaced');
  assert.equal((await ok(service, 'project:open', { path: projectPath })).project.training.seed, 7);
});
