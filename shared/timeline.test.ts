import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FlowGifError } from './errors.js';
import { assertTimeline, defaultTimeline, frameCount, frameTimes, resolveTimeline, timelineSeconds, validateTimeline, type Timeline } from './timeline.js';

const plain: Timeline = { ...defaultTimeline, durationSeconds: 2, fps: 10, holdStartSeconds: 0, holdEndSeconds: 0, easing: 'linear' };

test('the default is 3 s at 20 fps with short holds, noise first and the picture last', () => {
  assert.deepEqual(validateTimeline(defaultTimeline), []);
  assert.equal(defaultTimeline.durationSeconds, 3);
  assert.equal(defaultTimeline.fps, 20);
  const times = frameTimes(defaultTimeline);
  assert.equal(times.length, frameCount(defaultTimeline));
  assert.equal(frameCount(defaultTimeline), 60);
  assert.equal(times[0], 0);
  assert.equal(times[times.length - 1], 1);
  assert.equal(defaultTimeline.loops, 0);
  assert.equal(timelineSeconds(defaultTimeline), 3);
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

test('bounce goes there and back, holding the picture in between', () => {
  const bounce = { ...plain, bounce: true, holdStartSeconds: 0.2, holdEndSeconds: 0.5 };
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
