import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { noopJobContext, type JobContext } from '../../../shared/job.js';
import { prepareExactFlow, type ExactFlow } from '../flow/exact-flow.js';
import { loadDensity } from '../image/load-density.js';
import { bundledSamplePath } from '../image/samples.js';
import { computeTrajectory } from './trajectory.js';
import { solverThreads } from '../threads/solver-threads.js';
import { solveTrajectory } from './trajectory-workers.js';

/** The exact flow's particles solved in chunks on worker threads: the serial solve's bits. */
describe('trajectory workers', () => {
  let field: ExactFlow;
  before(async () => {
    // Prepared as the app prepares it: the solver threads read its levels in shared memory.
    field = await prepareExactFlow(await loadDensity(bundledSamplePath('flowgif-mark.png')), {}, noopJobContext);
    assert.ok(field.levels[0]!.mass.buffer instanceof SharedArrayBuffer);
  });
  after(() => field.dispose());
  const options = { particles: 41_001, seed: 7, steps: 16 };

  it('solves the levels computeTrajectory solves, bit for bit', async () => {
    const steps: number[] = [];
    const ctx: JobContext = { signal: noopJobContext.signal, progress: (p) => steps.push(p.done) };
    const threaded = await solveTrajectory(field, { ...options, shared: true }, 2, ctx);
    const serial = await computeTrajectory(field, options, noopJobContext);
    assert.ok(threaded.positions.buffer instanceof SharedArrayBuffer);
    assert.equal(threaded.nfe, serial.nfe);
    assert.deepEqual(threaded.times, serial.times);
    const same = (a: Float32Array, b: Float32Array): boolean => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
    assert.ok(same(threaded.positions, serial.positions), 'positions');
    assert.ok(same(threaded.velocities, serial.velocities), 'velocities');
    // The particles moved: a trajectory of zeros would compare equal too.
    assert.notDeepEqual(threaded.start.subarray(0, 8), threaded.end.subarray(0, 8));
    assert.equal(steps.at(-1), 16, 'progress ends at the last step');
  });

  it('solves swirled paths in chunks as the serial solve does', async () => {
    const swirled = { ...options, swirl: -1.5 };
    const threaded = await solveTrajectory(field, { ...swirled, shared: true }, 2, noopJobContext);
    const serial = await computeTrajectory(field, swirled, noopJobContext);
    const plain = await computeTrajectory(field, options, noopJobContext);
    // The spin's levels are there, and the workers took them.
    assert.ok(serial.times.length > plain.times.length, `${serial.times.length} levels`);
    assert.deepEqual(threaded.times, serial.times);
    assert.ok(Buffer.from(threaded.positions.buffer).equals(Buffer.from(serial.positions.buffer)), 'positions');
    assert.notDeepEqual(serial.end.subarray(0, 8), plain.end.subarray(0, 8));
  });

  it('a cancel rejects at once; its threads stop within a step and come back for the next solve', async () => {
    await solveTrajectory(field, { ...options, shared: true }, 2, noopJobContext);
    assert.equal(solverThreads.idle, 2, 'a finished solve gives its two threads back');
    const controller = new AbortController();
    const ctx: JobContext = { signal: controller.signal, progress: (p) => p.done >= 2 && controller.abort() };
    await assert.rejects(solveTrajectory(field, { ...options, shared: true }, 2, ctx), (error: unknown) => (error as Error).name === 'AbortError');
    assert.equal(solverThreads.idle, 0, 'the threads are still stopping when the cancel is answered');
    for (let waited = 0; solverThreads.idle < 2 && waited < 3000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(solverThreads.idle, 2, 'both threads came back, not ended');
    const again = await solveTrajectory(field, { ...options, shared: true }, 2, noopJobContext);
    const serial = await computeTrajectory(field, options, noopJobContext);
    assert.ok(Buffer.from(again.positions.buffer).equals(Buffer.from(serial.positions.buffer)), 'the kept threads solve the next one right');
  });
});
