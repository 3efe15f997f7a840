import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FlowGifError } from './errors.js';
import { ease } from './easing.js';
import { assertTimeline, defaultTimeline, frameCount, frameTimes, oncePass, resolveTimeline, timelineSeconds, validateTimeline, type Timeline } from './timeline.js';

const plain: Timeline = { ...defaultTimeline, durationSeconds: 2, fps: 10, holdStartSeconds: 0, holdEndSeconds: 0, easing: 'linear', bounce: false };

test('the default loops seamlessly: noise → picture in 3 s at 20 fps, 1 s on the picture, and back', () => {
  assert.deepEqual(validateTimeline(defaultTimeline), []);
  assert.equal(defaultTimeline.durationSeconds, 3);
  assert.equal(defaultTimeline.fps, 20);
  assert.equal(defaultTimeline.loops, 0);
  const times = frameTimes(defaultTimeline);
  // 60 frames there, 20 more on the picture, 58 back (neither end again).
  assert.equal(frameCount(defaultTimeline), 60 + 20 + 58);
  assert.equal(times.length, frameCount(defaultTimeline));
  assert.ok(Math.abs(timelineSeconds(defaultTimeline) - 6.9) < 1e-9);
  assert.equal(times[0], 0);
  for (let i = 59; i < 80; i++) assert.equal(times[i], 1);
  assert.ok(times[80]! < 1);
  // The loop closes on the forward pass's second frame: no frame twice, no jump.
  assert.equal(times[times.length - 1], times[1]);
  assert.ok(times[times.length - 1]! > 0);
  const steps = Array.from(times.subarray(1), (t, i) => Math.abs(t - times[i]!));
  assert.ok(Math.abs(times[times.length - 1]! - times[0]!) <= Math.max(...steps));
});

test('once: a single pass that ends held on the picture and plays one time', () => {
  const once = resolveTimeline(oncePass);
  const times = frameTimes(once);
  assert.equal(times.length, 60 + 20);
  assert.equal(once.loops, 1);
  assert.equal(times[0], 0);
  assert.deepEqual([...times.slice(-21)], new Array(21).fill(1));
});

test('without holds or easing, frames step evenly from t = 0 to t = 1', () => {
  const times = frameTimes(plain);
  assert.equal(times.length, 20);
  for (let i = 0; i < 20; i++) assert.ok(Math.abs(times[i]! - i / 19) < 1e-12);
});

test('holds repeat the end frames', () => {
  const held = { ...plain, holdStartSeconds: 0.5, holdEndSeconds: 1.2 };
  const times = frameTimes(held);
  assert.equal(frameCount(held), 5 + 20 + 12);
  assert.deepEqual([...times.slice(0, 6)], [0, 0, 0, 0, 0, 0]);
  assert.deepEqual([...times.slice(-13)], new Array(13).fill(1));
  assert.ok(times[6]! > 0);
});

test('reverse plays picture → noise; easing still describes playback', () => {
  const forward = frameTimes({ ...plain, easing: 'ease-in', holdStartSeconds: 0.3 });
  const reversed = frameTimes({ ...plain, easing: 'ease-in', holdStartSeconds: 0.3, reverse: true });
  assert.equal(reversed.length, forward.length);
  assert.equal(reversed[0], 1);
  assert.equal(reversed[reversed.length - 1], 0);
  for (let i = 0; i < forward.length; i++) assert.ok(Math.abs(reversed[i]! - (1 - forward[i]!)) < 1e-12);
  // ease-in: the first steps are small whichever way the flow runs.
  assert.ok(1 - reversed[4]! < 0.01);
});

test('bounce goes there and back, holding the picture in between; played once it ends on the start', () => {
  const bounce = { ...plain, bounce: true, holdStartSeconds: 0.2, holdEndSeconds: 0.5, loops: 1 };
  const times = frameTimes(bounce);
  assert.equal(frameCount(bounce), 2 + 20 + 5 + 19);
  assert.equal(times.length, frameCount(bounce));
  assert.equal(times[0], 0);
  assert.equal(times[times.length - 1], 0);
  const peak = 2 + 20 - 1;
  for (let i = peak; i < peak + 6; i++) assert.equal(times[i], 1);
  assert.ok(times[peak + 6]! < 1);
  // The way back mirrors the way there.
  for (let i = 0; i < 20; i++) assert.ok(Math.abs(times[2 + i]! - times[times.length - 1 - i]!) < 1e-12);
  const both = frameTimes({ ...bounce, reverse: true });
  assert.equal(both[0], 1);
  assert.equal(both[both.length - 1], 1);
  assert.ok(Math.min(...both) === 0);
});

test('a repeating bounce leaves out the start on the way back: the next pass opens with it', () => {
  for (const loops of [0, 3]) {
    const looping = { ...plain, bounce: true, holdEndSeconds: 0.5, loops };
    const times = frameTimes(looping);
    assert.equal(times.length, 20 + 5 + 18);
    assert.equal(times[times.length - 1], times[1]);
    // Every motion frame of the way back is a frame of the way there: nothing new is drawn.
    const there = new Set(times.subarray(0, 20));
    for (const t of times.subarray(25)) assert.ok(there.has(t), String(t));
  }
  // With a hold on the start the loop closes on the hold: still no jump.
  const held = frameTimes({ ...plain, easing: 'ease-in-out', bounce: true, holdStartSeconds: 0.3 });
  assert.equal(held[held.length - 1], ease('ease-in-out', 1 / 19));
  assert.deepEqual([...held.slice(0, 4)], [0, 0, 0, 0]);
});

test('eased frames are monotonic and hit both ends', () => {
  for (const easing of ['ease-in-out', 'ease-out', 'smoothstep'] as const) {
    const times = frameTimes({ ...plain, easing });
    assert.equal(times[0], 0);
    assert.equal(times[times.length - 1], 1);
    for (let i = 1; i < times.length; i++) assert.ok(times[i]! >= times[i - 1]!, easing);
  }
});

test('a very short duration still shows both the noise and the picture', () => {
  const times = frameTimes({ ...plain, durationSeconds: 0.01 });
  assert.deepEqual([...times], [0, 1]);
});

test('invalid timelines are rejected with one sentence per problem', () => {
  const cases: [Partial<Record<keyof Timeline, unknown>>, RegExp][] = [
    [{ fps: 0 }, /fps/],
    [{ fps: Number.NaN }, /fps/],
    [{ durationSeconds: -1 }, /durationSeconds/],
    [{ holdStartSeconds: -0.1 }, /holdStartSeconds/],
    [{ holdEndSeconds: Infinity }, /holdEndSeconds/],
    [{ easing: 'bouncy' }, /easing/],
    [{ reverse: 'yes' }, /reverse/],
    [{ loops: 1.5 }, /loops/],
    [{ loops: -1 }, /loops/],
    [{ durationSeconds: 600, fps: 120 }, /frames/],
  ];
  for (const [change, pattern] of cases) {
    const problems = validateTimeline({ ...defaultTimeline, ...change });
    assert.equal(problems.length, 1, JSON.stringify(change));
    assert.match(problems[0]!, pattern);
    assert.throws(
      () => assertTimeline({ ...defaultTimeline, ...change }),
      (e: unknown) => e instanceof FlowGifError && e.code === 'INVALID_ARGUMENT' && pattern.test(e.message),
    );
  }
  assert.equal(validateTimeline({ fps: 0, loops: -2 }).length >= 3, true);
  assert.deepEqual(validateTimeline(null), ['The timeline must be an object.']);
});

test('resolveTimeline overlays defaults, keeps them for unset fields and validates', () => {
  const t = resolveTimeline({ fps: 25, bounce: true, easing: undefined });
  assert.equal(t.fps, 25);
  assert.equal(t.bounce, true);
  assert.equal(t.easing, defaultTimeline.easing);
  assert.throws(() => resolveTimeline({ fps: -3 }), FlowGifError);
});
