import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { noopJobContext, type JobContext } from '../../../shared/job.js';
import { DEFAULT_NOISE_SHAPE } from '../../../shared/noise.js';
import { loadDensity } from '../image/load-density.js';
import { bundledSamplePath } from '../image/samples.js';
import { prepareImageFlow } from '../pipeline/flow-source.js';
import { solverThreads } from './solver-threads.js';

/** The exact flow's blur levels spread over kept solver threads: the levels one thread builds. */
describe('blur levels on solver threads', () => {
  it('builds the levels this thread builds, bit for bit, in shared memory, with progress to the last', async () => {
    const density = await loadDensity(bundledSamplePath('star.jpg'));
    const done: number[] = [];
    const ctx: JobContext = { signal: noopJobContext.signal, progress: (p) => done.push(p.done) };
    const threaded = await prepareImageFlow(density, DEFAULT_NOISE_SHAPE, ctx, 2);
    const here = await prepareImageFlow(density, DEFAULT_NOISE_SHAPE, noopJobContext, 0);
    assert.ok(threaded.levels.length > 40, `${threaded.levels.length} levels`);
    assert.equal(threaded.levels.length, here.levels.length);
    const bytes = (a: Float32Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    threaded.levels.forEach((level, k) => {
      const other = here.levels[k]!;
      assert.deepEqual([level.blurCol, level.blurRow, level.nx, level.ny], [other.blurCol, other.blurRow, other.nx, other.ny], `level ${k}'s grid`);
      assert.ok(bytes(level.mass).equals(bytes(other.mass)) && bytes(level.meanCol).equals(bytes(other.meanCol)) && bytes(level.meanRow).equals(bytes(other.meanRow)), `level ${k}`);
      assert.ok(level.mass.buffer instanceof SharedArrayBuffer, 'the solver threads read the levels uncopied');
    });
    // Levels finish in any order; the count only grows, to every level.
    assert.deepEqual(done, Array.from({ length: threaded.levels.length }, (_, k) => k + 1));
    // And the flows agree where it matters: the same velocity at the same points.
    const points = Float64Array.of(0.1, -0.2, 1.3, 0.4, -2, 2);
    const a = new Float64Array(6);
    const b = new Float64Array(6);
    threaded.velocity(points, 0.8, a);
    here.velocity(points, 0.8, b);
    assert.deepEqual(a, b);
  });

  it('a cancel rejects the build, and the next build succeeds on the threads kept', async () => {
    const density = await loadDensity(bundledSamplePath('heart.png'));
    const controller = new AbortController();
    const ctx: JobContext = { signal: controller.signal, progress: (p) => p.done >= 3 && controller.abort() };
    await assert.rejects(prepareImageFlow(density, DEFAULT_NOISE_SHAPE, ctx, 2), (error: unknown) => (error as Error).name === 'AbortError');
    // Each thread finishes the level it holds, takes no other, and goes back.
    for (let waited = 0; solverThreads.idle < 2 && waited < 3000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(solverThreads.idle, 2, 'both threads came back');
    const flow = await prepareImageFlow(density, DEFAULT_NOISE_SHAPE, noopJobContext, 2);
    const here = await prepareImageFlow(density, DEFAULT_NOISE_SHAPE, noopJobContext, 0);
    assert.ok(
      flow.levels.every((level, k) => Buffer.from(level.meanCol.buffer).equals(Buffer.from(here.levels[k]!.meanCol.buffer))),
      'the threads kept build the next flow right',
    );
  });
});
