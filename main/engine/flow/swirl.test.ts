import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { noopJobContext } from '../../../shared/job.js';
import { makeTestPicture, type TestPictureName } from '../../tools/fixture-pictures.js';
import { densityFromBytes, loadDensity } from '../image/load-density.js';
import { bundledSamplePath, type BundledSample } from '../image/samples.js';
import { histogramOf, totalVariation } from '../quality/histogram.js';
import { evaluateField } from '../quality/tv-score.js';
import { computeTrajectory, levelTimes } from '../render/trajectory.js';
import { createExactFlow } from './exact-flow.js';
import { noiseSourceFor, ROUND_NOISE } from './noise-source.js';
import { sampleFlow } from './sample-flow.js';
import { swirledField, swirlTimes } from './swirl.js';
import type { VelocityField } from './velocity-field.js';

/**
 * The flow-matching path between two independent N(0, I): x_t ~ N(0, n(t)·I) with
 * n = t² + (1 − t)², u_t(x) = (2t − 1)/n(t)·x. With swirl every particle turns by
 * ∫ 8π·S·(1 − t)³/n(t) dt and keeps its radius, a closed form to hold the solver to.
 */
const gaussianToGaussian: VelocityField = {
  kind: 'fm',
  source: ROUND_NOISE,
  velocity(points, t, out) {
    const c = (2 * t - 1) / (t * t + (1 - t) * (1 - t));
    for (let i = 0; i < points.length; i++) out[i] = c * points[i]!;
  },
  dispose() {},
};

function turnOfGaussianToGaussian(strength: number): number {
  // Simpson's rule on a fine grid: far below the solver's error.
  const m = 20_000;
  const rate = (t: number): number => (8 * Math.PI * strength * (1 - t) ** 3) / (t * t + (1 - t) * (1 - t));
  let sum = rate(0) + rate(1);
  for (let i = 1; i < m; i++) sum += (i % 2 === 1 ? 4 : 2) * rate(i / m);
  return sum / (3 * m);
}

describe('swirl', () => {
  it('turns counter-clockwise for positive strength, and is the field itself at 0', () => {
    const still: VelocityField = { kind: 'fm', source: ROUND_NOISE, velocity: (_p, _t, out) => out.fill(0), dispose() {} };
    assert.equal(swirledField(still, 0), still);
    const out = new Float64Array(2);
    swirledField(still, 1).velocity(Float64Array.of(1, 0), 0, out);
    // At t = 0 the round noise spins at 8π·S rad per unit of flow time: (1, 0) moves up.
    assert.ok(Math.abs(out[0]!) < 1e-12 && Math.abs(out[1]! - 8 * Math.PI) < 1e-9, `${out}`);
    swirledField(still, -0.5).velocity(Float64Array.of(1, 0), 0, out);
    assert.ok(Math.abs(out[1]! + 4 * Math.PI) < 1e-9, `${out}`);
  });

  it('refuses FFJORD models, whose velocity gives no score', () => {
    const ffjord: VelocityField = { ...gaussianToGaussian, kind: 'ffjord' };
    assert.throws(() => swirledField(ffjord, 1), /Swirl needs the exact flow or a flow-matching model/);
  });

  it('adds levels where the spin is fast, keeping every level of the grid', () => {
    const base = levelTimes();
    const times = swirlTimes(base, 2);
    for (const t of base) assert.ok(times.includes(t));
    for (let k = 1; k < times.length; k++) {
      const turned = 2 * Math.PI * 2 * ((1 - times[k - 1]!) ** 4 - (1 - times[k]!) ** 4);
      assert.ok(turned <= 0.35 + 1e-9, `level ${k} turns ${turned} rad`);
    }
    assert.equal(swirlTimes(base, 0), base);
  });

  it('a trajectory turns by the closed form and keeps the radius', async () => {
    for (const strength of [1, -3]) {
      const trajectory = await computeTrajectory(gaussianToGaussian, { particles: 200, seed: 3, swirl: strength }, noopJobContext);
      const expected = turnOfGaussianToGaussian(strength);
      let worstAngle = 0;
      let worstRadius = 0;
      for (let i = 0; i < 400; i += 2) {
        const [x0, y0, x1, y1] = [trajectory.start[i]!, trajectory.start[i + 1]!, trajectory.end[i]!, trajectory.end[i + 1]!];
        const turned = Math.atan2(x0 * y1 - y0 * x1, x0 * x1 + y0 * y1);
        const wrapped = Math.atan2(Math.sin(turned - expected), Math.cos(turned - expected));
        worstAngle = Math.max(worstAngle, Math.abs(wrapped));
        worstRadius = Math.max(worstRadius, Math.abs(Math.hypot(x1, y1) / Math.hypot(x0, y0) - 1));
      }
      // Measured: 2.7e-4 rad (0.03 px at 512 px) and 2.1e-5 at 1 turn; 1.0e-3 rad and 2.0e-4 at 3 turns back.
      const turns = Math.abs(strength);
      assert.ok(worstAngle < 5e-4 * turns, `${strength} turns: worst angle error ${worstAngle} rad of ${expected}`);
      assert.ok(worstRadius < 1e-4 * turns, `${strength} turns: worst radius error ${worstRadius}`);
    }
  });

  const pictures: readonly (BundledSample | TestPictureName)[] = ['flowgif-mark.png', 'heart.png', 'spiral.webp', 'banner', 'photo'];
  for (const name of pictures) {
    it(`keeps every frame's density of ${name}, moving the particles elsewhere`, async () => {
      const density = name.includes('.')
        ? await loadDensity(bundledSamplePath(name as BundledSample))
        : await (async () => {
            const picture = await makeTestPicture(name as TestPictureName);
            return densityFromBytes(picture.bytes, picture.file, {}, noopJobContext);
          })();
      const flow = createExactFlow(density, { source: noiseSourceFor('fitted', density.mapping) });
      try {
        const n = 20_000;
        const plain = await sampleFlow(flow, n, { t: 0.6, seed: 1 });
        const otherSeed = await sampleFlow(flow, n, { t: 0.6, seed: 2 });
        const swirled = await sampleFlow(flow, n, { t: 0.6, seed: 1, swirl: 1 });
        const tvSeeds = totalVariation(histogramOf(plain), histogramOf(otherSeed));
        const tvSwirl = totalVariation(histogramOf(plain), histogramOf(swirled));
        // Measured ratios 0.93–1.02 (0.13 to 0.90 when the swirl ignored the source's shape).
        assert.ok(tvSwirl < 1.1 * tvSeeds, `TV swirled vs not ${tvSwirl.toFixed(4)}, two seeds ${tvSeeds.toFixed(4)}`);
        let moved = 0;
        for (let i = 0; i < plain.length; i += 2) moved += Math.hypot(plain[i]! - swirled[i]!, plain[i + 1]! - swirled[i + 1]!);
        // The longer side spans 8 model units; measured 9–19 % of it.
        const share = moved / n / 8;
        assert.ok(share > 0.07, `particles moved ${(share * 100).toFixed(1)} % of the side`);
        const report = await evaluateField(density, flow, { n, seed: 1, swirl: 1 });
        // Measured ≤ 0.016; the same flow without swirl scores −0.01 to 0.01.
        assert.ok(report.score <= 0.03, `score at t = 1 with swirl ${report.score}`);
      } finally {
        flow.dispose();
      }
    });
  }
});
