import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveRenderSettings } from '../../../shared/render/render-settings.js';
import { describeBudgetChanges } from '../../../shared/size-budget.js';
import { budgetChanges, budgetFloors, shrinkSettings } from './fit-under-budget.js';

const asked = resolveRenderSettings({ size: 1080, particles: 300_000, timeline: { fps: 20 } });

test('a budget lowers quality first, then frames, then pixels, keeping the particles', () => {
  const slight = shrinkSettings('gif', asked, 0.9)!;
  assert.deepEqual(budgetChanges(asked, slight), [{ setting: 'quality', from: 90, to: 70 }]);
  const far = shrinkSettings('gif', asked, 0.15)!;
  const changes = budgetChanges(asked, far);
  assert.deepEqual(changes.map((c) => c.setting), ['quality', 'fps', 'size']);
  assert.deepEqual([far.quality, far.timeline.fps], [70, 12]);
  // 0.15 / 0.7 / (12 / 20) = 0.36 of the pixels: 0.6 of the side.
  assert.equal(far.size, Math.floor(1080 * Math.sqrt(0.15 / 0.7 / 0.6)));
  assert.deepEqual([far.particles, far.pointSize, far.seed], [asked.particles, asked.pointSize, asked.seed]);
  assert.equal(describeBudgetChanges(changes), `quality 90 → 70, 20 → 12 fps, 1080 → ${far.size} px`);
});

test('lossless formats only lose frames and pixels; a custom canvas keeps its shape', () => {
  const banner = resolveRenderSettings({ canvas: { width: 1200, height: 630 }, timeline: { fps: 30 } });
  const smaller = shrinkSettings('apng', banner, 0.25)!;
  assert.equal(smaller.quality, banner.quality);
  assert.equal(smaller.timeline.fps, 15);
  assert.ok(typeof smaller.canvas === 'object');
  const { width, height } = smaller.canvas as { width: number; height: number };
  assert.ok(Math.abs(width / height - 1200 / 630) < 0.01, `${width}×${height}`);
  assert.equal(width, Math.floor(1200 * Math.sqrt(0.5)));
});

test('at every floor there is nothing left to lower', () => {
  const floor = resolveRenderSettings({ size: budgetFloors.size, quality: 60, timeline: { fps: budgetFloors.fps } });
  assert.equal(shrinkSettings('gif', floor, 0.1), undefined);
  assert.equal(describeBudgetChanges([]), 'nothing changed');
});
