import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { noopJobContext, type JobContext } from '../../../shared/job.js';
import { resolveRenderSettings } from '../../../shared/render/render-settings.js';
import { prepareExactFlow } from '../flow/exact-flow.js';
import { loadDensity } from '../image/load-density.js';
import { bundledSamplePath } from '../image/samples.js';
import { liveFrameWorkers } from '../render/frame-workers.js';
import type { OpenedFlow } from './flow-source.js';
import { renderToFile } from './render-flow.js';

/** An export's frames drawn in worker threads: the same files as the serial path, and a cancel leaves nothing. */
describe('render with frame threads', () => {
  let dir: string;
  let flow: OpenedFlow;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'flowgif-threads-'));
    const density = await loadDensity(bundledSamplePath('flowgif-mark.png'));
    flow = { density, field: await prepareExactFlow(density, {}, noopJobContext), model: undefined };
  });
  after(async () => {
    flow.field.dispose();
    await rm(dir, { recursive: true, force: true });
  });
  const settings = resolveRenderSettings({ size: 80, particles: 3000, timeline: { fps: 10, durationSeconds: 1 } });

  it('writes the PNG frames the main thread writes, byte for byte', async () => {
    const serial = await renderToFile(flow, { outputPath: join(dir, 'serial/'), settings, threads: 0 }, noopJobContext);
    const threaded = await renderToFile(flow, { outputPath: join(dir, 'threaded/'), settings, threads: 2 }, noopJobContext);
    assert.equal(threaded.frames, serial.frames);
    const names = (await readdir(join(dir, 'serial'))).sort();
    assert.ok(names.length >= 10, `${names.length} frames`);
    assert.deepEqual((await readdir(join(dir, 'threaded'))).sort(), names);
    for (const name of names) {
      assert.ok((await readFile(join(dir, 'serial', name))).equals(await readFile(join(dir, 'threaded', name))), name);
    }
    assert.equal(liveFrameWorkers(), 0, 'the workers stop with the export');
  });

  it('a cancel during the encode stops every worker and leaves no file', async () => {
    const controller = new AbortController();
    const ctx: JobContext = {
      signal: controller.signal,
      progress: (p) => {
        if (p.stage === 'encode' && p.done >= 3) controller.abort();
      },
    };
    const output = join(dir, 'cancelled.gif');
    await assert.rejects(renderToFile(flow, { outputPath: output, settings, threads: 2 }, ctx), (error: unknown) => (error as Error).name === 'AbortError');
    assert.equal(existsSync(output), false);
    assert.equal(liveFrameWorkers(), 0);
    assert.deepEqual((await readdir(dir)).filter((name) => name.includes('cancelled')), []);
  });
});
