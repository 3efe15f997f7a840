import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FlowRef, TrainDone } from '../../../shared/ipc/contract.js';
import { AppState, FIRST_PREVIEW_PARTICLES, LIVE_PREVIEW_DELAY_MS, MAX_MORPH_TARGETS, PREVIEW_PARTICLES } from './app-state.svelte.js';
import { describeError } from './error-table.js';
import { FakeApi, appInfo, fail, imageInfo, ok, settle, trajectory } from './fake-api.test-util.js';

/** An app with a picture open; its first preview's jobs are left to the test. */
async function withImage(imageId = 'heart'): Promise<{ api: FakeApi; app: AppState }> {
  const api = new FakeApi();
  api.answer('app:info', () => ok(appInfo()));
  api.answer('image:open', (p) => ok(imageInfo(p.source.kind === 'sample' ? p.source.name : imageId)));
  const app = new AppState(api);
  await app.loadInfo();
  await app.openImage({ kind: 'sample', name: imageId });
  await settle();
  return { api, app };
}

function previewJob(api: FakeApi, index: number): { jobId: string; particles: number; flow: FlowRef } {
  const job = api.jobs('preview')[index];
  assert.ok(job !== undefined, `preview job ${index} was started`);
  const payload = job.payload as { particles: number; flow: FlowRef };
  return { jobId: job.jobId, particles: payload.particles, flow: payload.flow };
}

const trainDone = (modelId: string): TrainDone => ({ modelId, method: 'fm', steps: 100, seconds: 5, finalLoss: 0.1, backend: 'wasm' });

test('a preview shows a coarse pass first, then the full one', async () => {
  const { api, app } = await withImage();
  assert.equal(app.previewState, 'loading');
  const coarse = previewJob(api, 0);
  assert.equal(coarse.particles, FIRST_PREVIEW_PARTICLES);
  assert.equal(api.jobs('preview').length, 1, 'the full pass waits for the coarse one');
  api.progress(coarse.jobId, 'preview', { stage: 'integrate', done: 1, total: 2 });
  assert.equal(app.previewProgress, 0.5);

  const first = trajectory(FIRST_PREVIEW_PARTICLES);
  api.done(coarse.jobId, 'preview', first);
  assert.equal(app.trajectory, first);
  assert.equal(app.previewState, 'ready');
  await settle();
  const full = previewJob(api, 1);
  assert.equal(full.particles, PREVIEW_PARTICLES);
  assert.deepEqual(full.flow, coarse.flow);
  // The full pass refines silently: the picture stays 'ready'.
  assert.equal(app.previewState, 'ready');
  const second = trajectory(PREVIEW_PARTICLES);
  api.done(full.jobId, 'preview', second);
  assert.equal(app.trajectory, second);
  assert.equal(api.jobs('preview').length, 2);
});

test("a second preview while the first runs cancels the first; the first's late done does not replace the trajectory", async () => {
  const { api, app } = await withImage();
  const old = previewJob(api, 0);
  app.setNoise('round');
  await settle();
  assert.deepEqual(api.cancelled(), [old.jobId]);
  const current = previewJob(api, 1);
  assert.deepEqual(current.flow, { kind: 'exact', imageId: 'heart', noise: 'round' });

  api.done(old.jobId, 'preview', trajectory(1));
  assert.equal(app.trajectory, undefined);
  assert.equal(app.previewState, 'loading');
  await settle();
  assert.equal(api.jobs('preview').length, 2, "the superseded preview's full pass never starts");

  const shown = trajectory(FIRST_PREVIEW_PARTICLES);
  api.done(current.jobId, 'preview', shown);
  assert.equal(app.trajectory, shown);
});

test("a new preview between the passes supersedes the old full pass, whose late done changes nothing", async () => {
  const { api, app } = await withImage();
  api.done(previewJob(api, 0).jobId, 'preview', trajectory(1));
  await settle();
  const oldFull = previewJob(api, 1);
  assert.equal(oldFull.particles, PREVIEW_PARTICLES);
  app.setNoise('round');
  await settle();
  assert.deepEqual(api.cancelled(), [oldFull.jobId]);
  const newCoarse = previewJob(api, 2);
  const shown = trajectory(2);
  api.done(newCoarse.jobId, 'preview', shown);
  api.done(oldFull.jobId, 'preview', trajectory(3));
  assert.equal(app.trajectory, shown);
});

test('a failed preview keeps the picture on screen and tells the user', async () => {
  const { api, app } = await withImage();
  const shown = trajectory(1);
  api.done(previewJob(api, 0).jobId, 'preview', shown);
  await settle();
  api.failed(previewJob(api, 1).jobId, 'preview', { name: 'FlowGifError', message: 'blew up', code: 'SOLVER_FAILED' });
  assert.equal(app.trajectory, shown);
  assert.equal(app.previewState, 'ready');
  assert.equal(app.banner?.code, 'SOLVER_FAILED');
});

test('training shows its loss and samples, and a model trained on this picture is adopted and previewed', async () => {
  const { api, app } = await withImage();
  await settle();
  void app.startTraining();
  assert.equal(app.training.status, 'running');
  await settle();
  const job = api.lastJob('train');
  api.progress(job.jobId, 'train', { stage: 'train', done: 1, total: 10, metrics: { loss: 2, step: 10 } });
  api.progress(job.jobId, 'train', { stage: 'train', done: 2, total: 10, metrics: { loss: Number.NaN, step: 20 } });
  api.progress(job.jobId, 'train', { stage: 'train', done: 3, total: 10, metrics: { loss: 1, step: 30 } });
  assert.deepEqual(app.loss, [{ step: 10, loss: 2 }, { step: 30, loss: 1 }]);
  assert.equal(app.training.fraction, 0.3);
  const points = Float32Array.of(1, 2);
  api.emit({ jobId: job.jobId, kind: 'train', type: 'samples', points, step: 30 });
  assert.equal(app.samples?.points, points);

  const previews = api.jobs('preview').length;
  api.done(job.jobId, 'train', trainDone('m1'));
  assert.equal(app.training.status, 'done');
  assert.equal(app.modelId, 'm1');
  assert.equal(app.trained?.modelId, 'm1');
  assert.equal(app.previewFlow, 'model');
  await settle();
  assert.deepEqual(previewJob(api, previews).flow, { kind: 'model', modelId: 'm1' });
});

test('Stop and keep asks the engine to finish the running training; its done model is adopted and marked kept early', async () => {
  const { api, app } = await withImage();
  api.answer('train:finish', () => ok({ finishing: true }));
  await settle();
  app.finishTraining();
  assert.equal(api.channels().includes('train:finish'), false, 'nothing to finish before a training runs');
  void app.startTraining();
  await settle();
  const job = api.lastJob('train');
  api.progress(job.jobId, 'train', { stage: 'train', done: 1, total: 10, metrics: { loss: 2, step: 10 } });
  app.finishTraining();
  app.finishTraining();
  await settle();
  assert.deepEqual(
    api.calls.filter((c) => c.channel === 'train:finish').map((c) => c.payload),
    [{ jobId: job.jobId }],
    'asked once, for the running job',
  );
  assert.equal(app.trainingFinishing, true);
  assert.equal(app.training.status, 'running', 'still running until the engine ends it');
  assert.deepEqual(api.cancelled(), [], 'a stop-and-keep is no cancel');
  api.done(job.jobId, 'train', trainDone('m2'));
  assert.equal(app.training.status, 'done');
  assert.equal(app.modelId, 'm2');
  assert.equal(app.trainingKeptEarly, true);
  assert.equal(app.trainingFinishing, false);

  void app.startTraining();
  await settle();
  assert.equal(app.trainingKeptEarly, false, 'a new training starts unmarked');
});

test('a Stop and keep that comes as the budget runs out is a plain Done: the engine says it is not finishing, or the run was whole', async () => {
  const { api, app } = await withImage();
  api.answer('train:finish', () => ok({ finishing: false }));
  await settle();
  void app.startTraining();
  await settle();
  app.finishTraining();
  await settle();
  assert.equal(app.trainingFinishing, false, 'not finishing: the button and status go back');
  api.done(api.lastJob('train').jobId, 'train', trainDone('m3'));
  assert.equal(app.trainingKeptEarly, false);

  // Asked in time by the engine's reckoning, but the run had spent its budget by then.
  api.answer('train:finish', () => ok({ finishing: true }));
  void app.startTraining();
  await settle();
  app.finishTraining();
  await settle();
  api.done(api.lastJob('train').jobId, 'train', { ...trainDone('m4'), seconds: app.trainSeconds });
  assert.equal(app.trainingKeptEarly, false, 'a whole budget is Done');
});

test('after a reconnect a picture that cannot be opened again (no source) is cleared, and the notice says to open it again', async () => {
  const { api, app } = await withImage();
  const project = app.projectData();
  assert.ok(project !== undefined);
  api.answer('project:open', () => ok({ project, image: { ...imageInfo('uploaded'), path: undefined }, modelId: undefined }));
  assert.equal(await app.openProject('/projects/up.flowgif'), true);
  await settle();
  assert.equal(app.image?.imageId, 'uploaded');
  await app.reconnected();
  assert.equal(app.image, undefined, 'no picture whose id the new engine does not know');
  assert.equal(app.trajectory, undefined);
  assert.equal(app.notice, 'Reconnected to FlowGIF. The new engine does not have your picture: open the project again.');
});

test('a refused Stop and keep shows why and lets the user ask again', async () => {
  const { api, app } = await withImage();
  api.answer('train:finish', () => fail({ name: 'FlowGifError', code: 'IPC_INVALID', message: 'nope' }));
  await settle();
  void app.startTraining();
  await settle();
  app.finishTraining();
  await settle();
  assert.equal(app.trainingFinishing, false);
  assert.ok(app.banner !== undefined, 'the refusal is shown');
});

test('after a reconnect the picture is opened again from its source at its density, its preview redrawn, and the lost model is named', async () => {
  const { api, app } = await withImage();
  api.answer('image:open', (p) => ok({ ...imageInfo('heart'), density: { mass: 'auto', threshold: p.density?.threshold ?? 0 } }));
  await app.setDensity({ threshold: 0.2 });
  await settle();
  void app.startTraining();
  await settle();
  api.done(api.lastJob('train').jobId, 'train', trainDone('m1'));
  await settle();
  app.showError(describeError({ name: 'ConnectionLostError', code: 'ENGINE_STOPPED', message: 'This page lost its connection to FlowGIF.' }));
  const previews = api.jobs('preview').length;
  const opens = api.calls.filter((c) => c.channel === 'image:open').length;

  await app.reconnected();
  await settle();
  const reopened = api.calls.filter((c) => c.channel === 'image:open');
  assert.equal(reopened.length, opens + 1);
  assert.deepEqual(reopened.at(-1)?.payload, { source: { kind: 'sample', name: 'heart' }, density: { mass: 'auto', threshold: 0.2 } });
  assert.equal(api.channels().filter((c) => c === 'app:info').length, 2, 'the new engine is asked what it is');
  assert.equal(app.banner, undefined, 'the stopped banner is gone');
  assert.ok(/^Reconnected to FlowGIF\. The trained model ended with the old engine/.test(app.notice ?? ''), app.notice);
  assert.equal(app.modelId, undefined);
  assert.deepEqual(previewJob(api, previews).flow, { kind: 'exact', imageId: 'heart', noise: 'fitted' });
});

test('a new threshold sets the trained model aside, and setting it back brings the model back on screen', async () => {
  const { api, app } = await withImage();
  api.answer('image:open', (p) => ok({ ...imageInfo('heart'), density: { mass: 'auto', threshold: p.density?.threshold ?? 0 } }));
  await settle();
  void app.startTraining();
  await settle();
  api.done(api.lastJob('train').jobId, 'train', trainDone('m1'));
  await settle();
  assert.equal(app.previewFlow, 'model');

  await app.setDensity({ threshold: 0.3 });
  await settle();
  assert.equal(app.modelId, undefined, 'the model does not describe the new density');
  assert.equal(app.previewFlow, 'exact');
  assert.equal(app.modelsAtOtherSettings, 1, 'but it is kept, and the panel says so');
  await app.setDensity({ threshold: 0.5 });
  await settle();
  assert.equal(app.modelId, undefined);
  assert.equal(app.modelsAtOtherSettings, 1);

  const previews = api.jobs('preview').length;
  await app.setDensity({ threshold: 0 });
  await settle();
  assert.equal(app.modelId, 'm1', 'back at the settings it was trained on, the model returns');
  assert.equal(app.trained?.modelId, 'm1');
  assert.equal(app.previewFlow, 'model', 'shown, as it was before the change');
  assert.equal(app.modelsAtOtherSettings, 0);
  assert.deepEqual(previewJob(api, api.jobs('preview').length - 1).flow, { kind: 'model', modelId: 'm1' });
  assert.ok(api.jobs('preview').length > previews);

  // Another picture: the models of this one are not offered for it.
  await app.openImage({ kind: 'sample', name: 'star' });
  await settle();
  assert.equal(app.modelsAtOtherSettings, 0);
  assert.equal(app.modelId, undefined);
});

test("a project's model is kept through a threshold change too, and the project is not left marked unsaved", async () => {
  const { api, app } = await withImage();
  const project = app.projectData();
  assert.ok(project !== undefined);
  api.answer('project:open', () => ok({ project, image: imageInfo('saved'), modelId: 'm9', modelMethod: 'fm' as const }));
  api.answer('app:info', () => ok(appInfo(['/projects/saved.flowgif'])));
  const replaced = app.settingsReplaced;
  assert.equal(await app.openProject('/projects/saved.flowgif'), true);
  await settle();
  assert.equal(app.unsaved, false);
  assert.equal(app.settingsReplaced, replaced + 1, 'an open export panel is told to take the project\'s settings');
  api.answer('image:open', (p) => ok({ ...imageInfo('saved'), density: { mass: 'auto', threshold: p.density?.threshold ?? 0 } }));
  await app.setDensity({ threshold: 0.4 });
  await settle();
  assert.equal(app.modelId, undefined);
  assert.equal(app.unsaved, true);
  await app.setDensity({ threshold: 0 });
  await settle();
  assert.equal(app.modelId, 'm9', 'the opened project\'s model returns with its settings');
  assert.equal(app.modelMethod, 'fm');
  assert.equal(app.unsaved, false, 'back as it was saved');
});

test('a model trained on an old picture is not adopted', async () => {
  const { api, app } = await withImage('heart');
  void app.startTraining();
  await settle();
  await app.openImage({ kind: 'sample', name: 'star' });
  assert.equal(app.training.status, 'running', 'opening a picture leaves the running training alone');
  const previews = api.jobs('preview').length;
  const job = api.lastJob('train');
  api.done(job.jobId, 'train', trainDone('old'));
  assert.equal(app.training.status, 'done');
  assert.equal(app.modelId, undefined);
  assert.equal(app.trained, undefined);
  assert.equal(app.previewFlow, 'exact');
  await settle();
  assert.equal(api.jobs('preview').length, previews);
});

test('a training that fails unexpectedly shows beside the panel and in the banner', async () => {
  const { api, app } = await withImage();
  void app.startTraining();
  await settle();
  const job = api.lastJob('train');
  api.failed(job.jobId, 'train', { name: 'TypeError', message: 'x is undefined' });
  assert.equal(app.training.status, 'failed');
  assert.equal(app.training.error?.unexpected, true);
  assert.equal(app.banner?.message, 'x is undefined');
});

test('an export refused with OUTPUT_EXISTS asks; confirming runs the same export allowed to replace', async () => {
  const { api, app } = await withImage();
  api.answer('export:start', (p) =>
    p.replace === true ? ok({ jobId: 'export-1' }) : fail({ name: 'FlowGifError', message: 'exists', code: 'OUTPUT_EXISTS', file: '/out/a.gif' }),
  );
  await app.startExport('gif', '/out/a.gif');
  assert.equal(app.exportReplace, '/out/a.gif');
  assert.equal(app.export.status, 'idle');
  assert.equal(app.export.error, undefined);

  app.confirmExportReplace();
  assert.equal(app.exportReplace, undefined);
  await settle();
  const starts = api.calls.filter((c) => c.channel === 'export:start').map((c) => c.payload as { outputPath: string; format: string; replace?: boolean });
  assert.equal(starts.length, 2);
  assert.deepEqual([starts[1]?.outputPath, starts[1]?.format, starts[1]?.replace], ['/out/a.gif', 'gif', true]);
  assert.equal(app.export.status, 'running');
  const result = { outputPath: '/out/a.gif', sizeBytes: 10, frames: 2, width: 4, height: 4 };
  api.done('export-1', 'export', result);
  assert.equal(app.export.status, 'done');
  assert.deepEqual(app.export.value, result);
});

test('an OUTPUT_EXISTS after agreeing to replace is a failure, not a second question', async () => {
  const { api, app } = await withImage();
  api.answer('export:start', () => fail({ name: 'FlowGifError', message: 'exists', code: 'OUTPUT_EXISTS' }));
  await app.startExport('gif', '/out/a.gif', true);
  assert.equal(app.exportReplace, undefined);
  assert.equal(app.export.status, 'failed');
  assert.equal(app.export.error?.code, 'OUTPUT_EXISTS');
});

/** Training and export: one at a time, cancelled through the engine. */
const cancellable = {
  training: { start: (app: AppState) => app.startTraining(), cancel: (app: AppState) => app.cancelTraining(), slot: (app: AppState) => app.training, kind: 'train' },
  export: { start: (app: AppState) => app.startExport('gif', '/out/a.gif'), cancel: (app: AppState) => app.cancelExport(), slot: (app: AppState) => app.export, kind: 'export' },
} as const;

for (const [name, job] of Object.entries(cancellable)) {
  test(`${name} cannot start twice, and cancelling it asks the engine and ends cancelled`, async () => {
    const { api, app } = await withImage();
    void job.start(app);
    void job.start(app);
    await settle();
    assert.equal(api.jobs(job.kind).length, 1);
    const { jobId } = api.lastJob(job.kind);
    job.cancel(app);
    await settle();
    assert.ok(api.cancelled().includes(jobId));
    assert.equal(job.slot(app).status, 'running', 'running until the engine says it stopped');
    api.jobCancelled(jobId, job.kind);
    assert.equal(job.slot(app).status, 'cancelled');
    assert.equal(job.slot(app).value, undefined);
    assert.equal(app.modelId, undefined);
  });
}

test("the recent projects and the project's path are the engine's after a save", async () => {
  const { api, app } = await withImage();
  const engineList = Array.from({ length: 10 }, (_, i) => `/projects/p${i}.flowgif`);
  api.answer('project:save', (p) => ok({ path: `${p.path}.flowgif` }));
  api.answer('app:info', () => ok(appInfo(engineList)));
  assert.equal(await app.saveProject('/projects/p0'), true);
  assert.equal(app.projectPath, '/projects/p0.flowgif');
  assert.equal(app.projectName, 'p0.flowgif');
  assert.deepEqual(app.info?.recentProjects, engineList);
});

test('opening a project takes its settings and the engine recent list, and previews its model', async () => {
  const { api, app } = await withImage();
  const project = app.projectData();
  assert.ok(project !== undefined);
  api.answer('project:open', () =>
    ok({ project: { ...project, training: { ...project.training, seconds: 120, noise: 'round' as const } }, image: imageInfo('saved'), modelId: 'm9' }),
  );
  api.answer('app:info', () => ok(appInfo(['/projects/saved.flowgif', '/projects/other.flowgif'])));
  assert.equal(await app.openProject('/projects/saved.flowgif'), true);
  assert.equal(app.trainSeconds, 120);
  assert.equal(app.noise, 'round');
  assert.equal(app.modelId, 'm9');
  assert.equal(app.projectName, 'saved.flowgif');
  assert.deepEqual(app.info?.recentProjects, ['/projects/saved.flowgif', '/projects/other.flowgif']);
  assert.deepEqual(previewJob(api, api.jobs('preview').length - 1).flow, { kind: 'model', modelId: 'm9' });
});

test('unsaved work is marked in the title until a save; another picture is a new, untitled piece of work', async () => {
  const { api, app } = await withImage();
  assert.equal(app.unsaved, false, 'a picture just opened is not unsaved work');
  assert.equal(app.windowTitle, 'Untitled — FlowGIF');
  app.trainSeconds = 90;
  assert.equal(app.unsaved, true, 'a changed training budget is');
  assert.equal(app.windowTitle, '• Untitled — FlowGIF');
  assert.equal(app.closeWouldLose, true);

  api.answer('project:save', (p) => ok({ path: p.path }));
  api.answer('app:info', () => ok(appInfo(['/projects/logo.flowgif'])));
  assert.equal(await app.saveProject('/projects/logo.flowgif'), true);
  assert.equal(app.unsaved, false);
  assert.equal(app.windowTitle, 'logo.flowgif — FlowGIF');
  app.setSettings({ ...app.settings, particles: app.settings.particles + 1000 });
  assert.equal(app.windowTitle, '• logo.flowgif — FlowGIF', 'export settings are part of the project');
  app.setSettings({ ...app.settings, particles: app.settings.particles - 1000 });
  assert.equal(app.unsaved, false, 'changed back, nothing is unsaved');

  // A new threshold is the same picture: still this project, now with a change.
  api.answer('image:open', (p) => ok({ ...imageInfo(p.source.kind === 'sample' ? p.source.name : 'heart'), density: { mass: 'auto', threshold: p.density?.threshold ?? 0 } }));
  await app.setDensity({ threshold: 0.2 });
  await settle();
  assert.equal(app.projectPath, '/projects/logo.flowgif');
  assert.equal(app.unsaved, true);
  // Another picture: the project no longer describes it, so Save must not replace logo.flowgif with it.
  await app.openImage({ kind: 'sample', name: 'star' });
  await settle();
  assert.equal(app.projectPath, undefined);
  assert.equal(app.windowTitle, 'Untitled — FlowGIF');
  assert.equal(app.unsaved, false);
});

test("a finished export reloads the engine's export history; the UI keeps no list of its own", async () => {
  const { api, app } = await withImage();
  const engineList = [
    { outputPath: '/out/a.gif', format: 'gif' as const, sizeBytes: 10, frames: 2, width: 4, height: 4, finishedAt: 2, missing: false },
    { outputPath: '/out/old.mp4', format: 'mp4' as const, sizeBytes: 99, frames: 9, width: 8, height: 8, finishedAt: 1, missing: true },
  ];
  let answered: typeof engineList = [];
  api.answer('export:history', () => ok({ entries: answered }));
  const exported = app.startExport('gif', '/out/a.gif');
  await settle();
  assert.deepEqual(app.exportHistory, []);
  answered = engineList;
  api.done(api.lastJob('export').jobId, 'export', { outputPath: '/out/a.gif', sizeBytes: 10, frames: 2, width: 4, height: 4 });
  await exported;
  await settle();
  assert.deepEqual(app.exportHistory, engineList, 'exactly what the engine answered, missing entry included');
  assert.equal(api.channels().filter((c) => c === 'export:history').length, 1);
});

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

test('a new swirl restarts the preview with it once the slider rests, and the export carries it', async () => {
  const { api, app } = await withImage();
  api.done(previewJob(api, 0).jobId, 'preview', trajectory(1));
  await settle();
  const before = api.jobs('preview').length;
  assert.equal((api.jobs('preview')[0]!.payload as { swirl: number }).swirl, 0, 'no swirl by default');

  // A drag: 0.5, then 1 turn within the delay — one restart, with the last value.
  app.setSettings({ ...app.settings, swirl: 0.5 });
  await pause(LIVE_PREVIEW_DELAY_MS / 3);
  app.setSettings({ ...app.settings, swirl: 1 });
  assert.equal(api.jobs('preview').length, before, 'nothing restarts while the slider moves');
  await pause(LIVE_PREVIEW_DELAY_MS + 50);
  await settle();
  const restarted = api.jobs('preview').slice(before);
  assert.equal(restarted.length, 1, 'one restart for the whole drag');
  assert.deepEqual(restarted[0]!.payload, { flow: { kind: 'exact', imageId: 'heart', noise: 'fitted' }, particles: FIRST_PREVIEW_PARTICLES, seed: 0, swirl: 1 });
  assert.equal(app.previewState, 'loading');
  api.done(restarted[0]!.jobId, 'preview', trajectory(2));
  await settle();
  assert.equal(app.previewSwirl, 1);
  assert.equal((previewJob(api, api.jobs('preview').length - 1).particles), PREVIEW_PARTICLES);
  assert.equal((api.lastJob('preview').payload as { swirl: number }).swirl, 1, 'the full pass has the same swirl');

  // The same swirl again (another field changed) restarts nothing.
  const count = api.jobs('preview').length;
  app.setSettings({ ...app.settings, opacity: 0.5 });
  await pause(LIVE_PREVIEW_DELAY_MS + 50);
  assert.equal(api.jobs('preview').length, count);

  void app.startExport('gif', '/out/a.gif');
  await settle();
  assert.equal((api.lastJob('export').payload as { settings: { swirl: number } }).settings.swirl, 1);
});

test('"Preview with these particles": the full pass draws the export\'s count (capped), follows it, and goes back when unticked', async () => {
  const { api, app } = await withImage();
  api.done(previewJob(api, 0).jobId, 'preview', trajectory(1));
  await settle();
  app.setSettings({ ...app.settings, particles: 200_000 });
  await pause(LIVE_PREVIEW_DELAY_MS + 50);
  const before = api.jobs('preview').length;
  assert.equal(before, 2, 'a new export count alone redraws nothing: the preview keeps its own');

  app.setPreviewAtExportCount(true);
  await pause(LIVE_PREVIEW_DELAY_MS + 50);
  await settle();
  assert.equal(previewJob(api, before).particles, FIRST_PREVIEW_PARTICLES, 'the coarse pass first');
  api.done(previewJob(api, before).jobId, 'preview', trajectory(2));
  await settle();
  assert.equal(previewJob(api, before + 1).particles, 200_000, "then the export's particles");

  app.setSettings({ ...app.settings, particles: 2_000_000 });
  await pause(LIVE_PREVIEW_DELAY_MS + 50);
  await settle();
  api.done(api.lastJob('preview').jobId, 'preview', trajectory(3));
  await settle();
  assert.equal(previewJob(api, api.jobs('preview').length - 1).particles, 500_000, 'no more than a preview can carry');

  app.setSettings({ ...app.settings, particles: 4000 });
  await pause(LIVE_PREVIEW_DELAY_MS + 50);
  await settle();
  assert.equal(previewJob(api, api.jobs('preview').length - 1).particles, 4000, 'fewer than the coarse pass: one pass of them');

  app.setPreviewAtExportCount(false);
  await pause(LIVE_PREVIEW_DELAY_MS + 50);
  await settle();
  api.done(api.lastJob('preview').jobId, 'preview', trajectory(4));
  await settle();
  assert.equal(previewJob(api, api.jobs('preview').length - 1).particles, PREVIEW_PARTICLES, "unticked: the app's own count again");
});

test('an FFJORD model cannot swirl: its preview and export go without it, the exact flow keeps it', async () => {
  const { api, app } = await withImage();
  app.setSettings({ ...app.settings, swirl: 2 });
  await pause(LIVE_PREVIEW_DELAY_MS + 50);
  assert.equal((api.lastJob('preview').payload as { swirl: number }).swirl, 2);
  void app.startTraining();
  await settle();
  api.done(api.lastJob('train').jobId, 'train', { ...trainDone('f1'), method: 'ffjord' });
  await settle();
  assert.equal(app.swirlApplies, false);
  assert.deepEqual(previewJob(api, api.jobs('preview').length - 1).flow, { kind: 'model', modelId: 'f1' });
  assert.equal((api.lastJob('preview').payload as { swirl: number }).swirl, 0, 'the engine refuses swirl for FFJORD');
  void app.startExport('gif', '/out/f.gif');
  await settle();
  assert.equal((api.lastJob('export').payload as { settings: { swirl: number } }).settings.swirl, 0);
  assert.equal(app.settings.swirl, 2, 'the setting is kept for a flow that can swirl');
  app.showExact();
  await settle();
  assert.equal(app.swirlApplies, true);
  assert.equal((api.lastJob('preview').payload as { swirl: number }).swirl, 2);
});

test('morph targets: added beside the open picture without replacing it or its preview, sent with the export in order, removable', async () => {
  const { api, app } = await withImage();
  const previews = api.jobs('preview').length;
  assert.equal(app.sequence, undefined, 'no targets: the export is the flow alone');
  await app.addMorphTarget({ kind: 'sample', name: 'star' });
  await app.addMorphTarget({ kind: 'bytes', name: 'logo.png', bytes: new Uint8Array([1, 2]) });
  assert.equal(app.image?.imageId, 'heart', 'the open picture stays');
  assert.equal(api.jobs('preview').length, previews, 'adding a target starts no preview');
  assert.deepEqual(app.morphTargets.map((t) => t.imageId), ['star', 'heart']);
  // Each target opens with its own default density, not the open picture's.
  const opens = api.calls.filter((c) => c.channel === 'image:open').slice(-2);
  assert.deepEqual(opens.map((c) => (c.payload as { density: object }).density), [{}, {}]);

  app.setNoise('round');
  app.morphStyle = 'dissolve';
  app.morphFromNoise = false;
  api.answer('export:start', () => ok({ jobId: 'export-1' }));
  void app.startExport('gif', '/out/m.gif');
  await settle();
  const start = api.calls.find((c) => c.channel === 'export:start')!.payload as { flow: FlowRef; sequence?: unknown };
  assert.deepEqual(start.flow, { kind: 'exact', imageId: 'heart', noise: 'round' });
  assert.deepEqual(start.sequence, {
    then: [
      { kind: 'exact', imageId: 'star', noise: 'round' },
      { kind: 'exact', imageId: 'heart', noise: 'round' },
    ],
    style: 'dissolve',
    fromNoise: false,
  });

  app.removeMorphTarget('star');
  assert.deepEqual(app.morphTargets.map((t) => t.imageId), ['heart']);
  api.done('export-1', 'export', { outputPath: '/out/m.gif', sizeBytes: 10, frames: 2, width: 4, height: 4 });
});

test('a morph target that fails to open says why beside the list and leaves the list as it was; the list is bounded', async () => {
  const { api, app } = await withImage();
  await app.addMorphTarget({ kind: 'sample', name: 'star' });
  api.answer('image:open', () => fail({ name: 'FlowGifError', message: 'broken.png is not a picture.', code: 'IMAGE_CORRUPT', file: 'broken.png' }));
  await app.addMorphTarget({ kind: 'bytes', name: 'broken.png', bytes: new Uint8Array([0]) });
  assert.deepEqual(app.morphTargets.map((t) => t.imageId), ['star']);
  assert.ok(/broken\.png/.test(app.morphError?.message ?? ''), 'the error names the file');
  assert.equal(app.banner, undefined, 'the problem shows by the list, not in the banner');
  assert.equal(app.image?.imageId, 'heart');

  api.answer('image:open', (p) => ok(imageInfo(p.source.kind === 'sample' ? p.source.name : 'x')));
  for (let i = 0; i < MAX_MORPH_TARGETS + 2; i++) await app.addMorphTarget({ kind: 'sample', name: `s${i}` });
  assert.equal(app.morphTargets.length, MAX_MORPH_TARGETS);
  assert.equal(app.canAddMorphTarget, false);
  assert.equal(app.morphError, undefined, 'a good open clears the old error');
});
