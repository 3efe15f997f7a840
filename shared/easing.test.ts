import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ease, easings, isEasing } from './easing.js';

test('every easing runs from 0 to 1 and never goes back', () => {
  for (const easing of easings) {
    assert.equal(ease(easing, 0), 0, easing);
    assert.equal(ease(easing, 1), 1, easing);
    let previous = 0;
    for (let i = 1; i <= 1000; i++) {
      const t = ease(easing, i / 1000);
      assert.ok(t >= previous, `${easing} decreases at u = ${i / 1000}`);
      assert.ok(t <= 1, `${easing} overshoots at u = ${i / 1000}`);
      previous = t;
    }
  }
});

test('ease-in starts slowly, ease-out fast, the symmetric ones pass the midpoint', () => {
  assert.ok(ease('ease-in', 0.25) < 0.25 / 2);
  assert.ok(ease('ease-out', 0.25) > 0.5);
  assert.equal(ease('linear', 0.3), 0.3);
  for (const easing of ['ease-in-out', 'smoothstep'] as const) {
    assert.ok(Math.abs(ease(easing, 0.5) - 0.5) < 1e-12, easing);
    assert.ok(Math.abs(ease(easing, 0.2) + ease(easing, 0.8) - 1) < 1e-12, `${easing} is point-symmetric`);
    assert.ok(ease(easing, 0.1) < 0.1, `${easing} starts slowly`);
  }
});

test('progress outside [0, 1] is clamped and names are checked', () => {
  assert.equal(ease('ease-out', -0.5), 0);
  assert.equal(ease('ease-in', 1.5), 1);
  assert.ok(isEasing('smoothstep'));
  assert.ok(!isEasing('bouncy'));
  assert.ok(!isEasing(3));
});
