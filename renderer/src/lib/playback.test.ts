import { test } from 'node:test';
import assert from 'node:assert/strict';
import { frameTimes, resolveTimeline, type Timeline } from '../../../shared/timeline.js';
import { Playback } from './playback.svelte.js';

const eased = resolveTimeline({ durationSeconds: 1, fps: 20, holdStartSeconds: 0.5, holdEndSeconds: 1, easing: 'ease-in-out', bounce: true });

function playbackOf(timeline: Timeline): { playback: Playback; times: Float64Array } {
  return { playback: new Playback(() => timeline), times: frameTimes(timeline) };
}

test('frame steps walk the export’s distinct frames to their exact t, and the counter follows', () => {
  const { playback, times } = playbackOf(eased);
  const holdStart = 10;
  playback.seek(0);
  assert.deepEqual(playback.frame, { index: 0, count: times.length }, 't = 0 shows the first frame');
  // The start hold's frames all show t = 0: one step goes past them to the first that moves.
  playback.stepFrames(1);
  assert.equal(playback.t, times[holdStart + 1]);
  assert.equal(playback.frame.index, holdStart + 1);
  assert.equal(playback.seconds, (holdStart + 1) / eased.fps);
  playback.stepFrames(10);
  assert.equal(playback.t, times[holdStart + 11], 'Shift steps ten frames');
  playback.stepFrames(-11);
  assert.equal(playback.t, 0);
  assert.equal(playback.frame.index, 0);
  // Eased frames near the ends are closer than a thousandth: exact steps still tell them apart.
  assert.ok(times[holdStart + 1]! < 0.001 * 5, `the first moving frame is at t = ${times[holdStart + 1]}`);
  playback.stepFrames(-1);
  assert.equal(playback.t, 0, 'stepping below the first frame stays on it');
});

test('a scrubbed t shows the nearest frame, and steps count from it', () => {
  const { playback, times } = playbackOf(eased);
  playback.seek(0.5);
  const shown = playback.frame.index;
  const gap = (i: number): number => Math.abs(times[i]! - 0.5);
  assert.ok(gap(shown) <= gap(shown - 1) && gap(shown) <= gap(shown + 1), `frame ${shown} is the nearest to t = 0.5`);
  assert.equal(playback.t, 0.5, 'the scrubbed t itself is kept');
  playback.stepFrames(1);
  assert.equal(playback.frame.index, shown + 1);
  assert.equal(playback.t, times[shown + 1]);
  playback.seek(1);
  const arrival = times.indexOf(1);
  assert.equal(playback.frame.index, arrival, 't = 1 is the frame the picture arrives, not its hold or the way back');
  playback.stepFrames(1);
  assert.equal(playback.t, 1, 'stepping past the picture stays on it');
  assert.equal(playback.frame.index, arrival);
});

test('on a reversed timeline a step up in t is a step back in frames', () => {
  const { playback, times } = playbackOf({ ...eased, reverse: true, bounce: false });
  playback.seek(0.5);
  const shown = playback.frame.index;
  playback.stepFrames(1);
  assert.ok(playback.t > 0.5);
  assert.equal(playback.frame.index, shown - 1);
  assert.equal(playback.t, times[shown - 1]);
});

test('a new timeline (another fps) moves the counter to its frame nearest the t on show', () => {
  let timeline: Timeline = eased;
  const playback = new Playback(() => timeline);
  playback.seek(0.5);
  const at20 = playback.frame.index;
  timeline = { ...eased, fps: 40 };
  const times = frameTimes(timeline);
  const shown = playback.frame.index;
  assert.ok(shown > at20, `at twice the fps the same t is a later frame (${at20} → ${shown})`);
  const gap = (i: number): number => Math.abs(times[i]! - 0.5);
  assert.ok(gap(shown) <= gap(shown - 1) && gap(shown) <= gap(shown + 1), `frame ${shown} is the nearest to t = 0.5 at 40 fps`);
  assert.equal(playback.seconds, shown / 40);
  assert.equal(playback.frame.count, times.length);
});

test('playing shows the export’s own frames, each for its 1/fps, and names the next one to draw ahead', () => {
  const callbacks: ((now: number) => void)[] = [];
  const globals = globalThis as { requestAnimationFrame?: unknown; cancelAnimationFrame?: unknown };
  const saved = [globals.requestAnimationFrame, globals.cancelAnimationFrame];
  globals.requestAnimationFrame = (callback: (now: number) => void): number => callbacks.push(callback);
  globals.cancelAnimationFrame = (): void => {};
  try {
    const { playback, times } = playbackOf(eased);
    playback.seek(0);
    playback.play();
    // Animation frames at 60 Hz from performance.now(), as a browser gives them.
    let now = performance.now();
    const shown: number[] = [];
    for (let tick = 0; tick < 60; tick++) {
      now += 1000 / 60;
      callbacks.shift()!(now);
      shown.push(playback.t);
      const { index } = playback.frame;
      assert.equal(playback.t, times[index], `tick ${tick}: t is frame ${index}'s own, not between frames`);
      // The next frame that shows another t: past the start hold's frames, the first that moves.
      let next = index + 1;
      while (times[next % times.length] === times[index]) next++;
      assert.equal(playback.nextT, times[next % times.length], `tick ${tick}: the next frame to draw ahead`);
    }
    assert.equal(playback.ticks, 60);
    // A second of 20 fps at 60 Hz: each frame on show for three animation frames.
    const changes = shown.filter((t, i) => i > 0 && t !== shown[i - 1]).length;
    const moving = new Set(Array.from({ length: 20 }, (_, k) => times[k + 1]!)).size - 1;
    assert.ok(changes >= moving - 1 && changes <= moving + 1, `${changes} changes of t in a second, about the ${moving} of its 20 frames`);
    // Without loop, playing stops on the last frame, with none after it to draw ahead.
    playback.loop = false;
    while (playback.playing) {
      now += 1000 / 60;
      callbacks.shift()!(now);
    }
    assert.equal(playback.frame.index, times.length - 1);
    assert.equal(playback.nextT, undefined);

    // At double speed each animation frame moves two of a 60 fps export's frames: the one drawn
    // ahead is the one the next animation frame lands on, not the one after this.
    const sixty: Timeline = { ...eased, fps: 60, holdStartSeconds: 0, holdEndSeconds: 0, easing: 'linear' };
    const { playback: fast, times: fastTimes } = playbackOf(sixty);
    fast.seek(0);
    fast.speed = 2;
    fast.play();
    now = performance.now();
    for (let tick = 0; tick < 20; tick++) {
      const ahead = fast.nextT;
      now += 1000 / 60;
      callbacks.shift()!(now);
      // The first animation frame's length is not known before it: from the second on.
      if (tick > 0) assert.equal(fast.t, ahead, `double speed, tick ${tick}: the frame drawn ahead is the one shown next`);
    }
    assert.ok(fast.frame.index >= 38 && fast.frame.index <= 42 && fastTimes.length > 42, `20 animation frames at double speed moved about 40 frames (${fast.frame.index})`);
    fast.pause();
    // The stub's cancelAnimationFrame keeps nothing to cancel: drop the paused one's request.
    callbacks.length = 0;

    // Without loop, at four times speed, the last frame (where playing stops) is drawn ahead too.
    const once: Timeline = { ...sixty, fps: 30, bounce: false };
    const { playback: quick, times: onceTimes } = playbackOf(once);
    quick.loop = false;
    quick.speed = 4;
    quick.seek(0);
    quick.play();
    now = performance.now();
    for (let tick = 0; quick.playing; tick++) {
      const ahead = quick.nextT;
      now += 1000 / 60;
      callbacks.shift()!(now);
      if (tick > 0) assert.equal(quick.t, ahead, `four times speed, tick ${tick}: the frame drawn ahead is the one shown next`);
    }
    assert.equal(quick.frame.index, onceTimes.length - 1);
  } finally {
    [globals.requestAnimationFrame, globals.cancelAnimationFrame] = saved;
  }
});
