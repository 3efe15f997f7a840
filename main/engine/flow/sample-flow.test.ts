import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRandom, gaussianPoints } from '../../../shared/random.js';
import type { Progress } from '../../../shared/job.js';
import { evaluateField } from '../quality/tv-score.js';
import { loadBundledSample } from './bundled-samples.js';
import { createExactFlow } from './exact-flow.js';
import { sampleFlow } from './sample-flow.js';
import type { VelocityField } from './velocity-field.js';
import { ROUND_NOISE } from './noise-source.js';

/** v = x: every particle follows x0·e^t, whatever the step grid. */
const growth: VelocityField = {
  kind: 'fm',
  source: ROUND_NOISE,
  velocity(points, _t, out) {
    out.set(points);
  },
  dispose() {},
};

test('any field is integrated accurately from seeded noise, to any t', async () => {
  const noise = gaussianPoints(100, createRandom(4));
  for (const t of [0, 0.3, 1]) {
    const points = await sampleFlow(growth, 100, { seed: 4, t });
    for (let i = 0; i < points.length; i++) assert.ok(Math.abs(points[i]! / (noise[i]! * Math.exp(t)) - 1) < 1e-4);
  }
  const euler = await sampleFlow(growth, 100, { seed: 4, method: 'euler', steps: 400, warp: 1 });
  for (let i = 0; i < euler.length; i++) assert.ok(Math.abs(euler[i]! - noise[i]! * Math.E) < 0.02 * Math.abs(noise[i]!) + 1e-9);
  const adaptive = await sampleFlow(growth, 100, { seed: 4, method: 'dopri5' });
  for (let i = 0; i < adaptive.length; i++) assert.ok(Math.abs(adaptive[i]! - noise[i]! * Math.E) < 1e-4);
});

test('the exact flow samples a bundled picture as well as true samples do', async () => {
  const density = await loadBundledSample('flowgif-mark.png', 128);
  const flow = createExactFlow(density);
  const report = await evaluateField(density, flow, { n: 20_000, seed: 1 });
  assert.ok(report.score < 0.02, `score ${report.score}`);
  const again = await sampleFlow(flow, 50, { seed: 1 });
  const same = await sampleFlow(flow, 50, { seed: 1 });
  assert.deepEqual(again, same);
});

test('sampling reports each step and stops when cancelled', async () => {
  const seen: Progress[] = [];
  await sampleFlow(growth, 10, { steps: 7 }, { signal: new AbortController().signal, progress: (p) => seen.push(p) });
  assert.deepEqual(
    seen.map((p) => p.done),
    [0, 1, 2, 3, 4, 5, 6, 7],
  );
  assert.ok(seen.every((p) => p.stage === 'sample' && p.total === 7));

  const controller = new AbortController();
  const slow: VelocityField = {
    kind: 'fm',
    source: ROUND_NOISE,
    velocity(points, _t, out) {
      const until = performance.now() + 20;
      while (performance.now() < until);
      out.fill(0);
      void points;
    },
    dispose() {},
  };
  const pending = sampleFlow(slow, 10, { steps: 1000 }, { signal: controller.signal, progress: () => {} });
  setTimeout(() => controller.abort(), 100);
  await assert.rejects(pending, { name: 'AbortError' });
});
