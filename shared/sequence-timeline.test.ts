import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FlowGifError } from './errors.js';
import { sequenceFrameTimes, type SequenceLayout } from './sequence-timeline.js';
import { defaultTimeline, oncePass, resolveTimeline } from './timeline.js';

// noise → A → B, and back to the noise: as the scene lays out `make A B` with direct moves.
const layout: SequenceLayout = {
  stations: ['noise', 'picture', 'picture'],
  moves: [
    { start: 0, end: 0.3, units: 1 },
    { start: 0.3, end: 0.6, units: 1 },
    { start: 0.6, end: 1, units: 1 },
  ],
};

test('the default timeline: each move 3 s at 20 fps, each picture held 1 s, back to the noise one frame short', () => {
  const times = sequenceFrameTimes(layout, defaultTimeline);
  assert.equal(times.length, 60 + 20 + 59 + 20 + 58);
  assert.equal(times[0], 0);
  // Each move's ends are the stations' own τ, exactly: the held frames are the pictures.
  for (let i = 59; i < 80; i++) assert.equal(times[i], 0.3);
  for (let i = 138; i < 159; i++) assert.equal(times[i], 0.6);
  assert.ok(times.every((t, i) => i === 0 || t >= times[i - 1]!), 'τ only grows');
  assert.ok(times.at(-1)! < 1, 'the next pass opens on τ = 0, the same frame as τ = 1');
  const steps = Array.from(times.subarray(1), (t, i) => t - times[i]!);
  assert.ok(1 - times.at(-1)! <= Math.max(...steps), 'and the wrap is no larger a step than the moves take');
});

test('once ends held on the last picture; bounce once ends on the first station; reverse plays it backwards', () => {
  const once = sequenceFrameTimes(layout, resolveTimeline(oncePass));
  assert.equal(once.length, 60 + 20 + 59 + 20);
  assert.equal(once.at(-1), 0.6);
  const bounceOnce = sequenceFrameTimes(layout, resolveTimeline({ loops: 1 }));
  assert.equal(bounceOnce.at(-1), 1);
  const forward = sequenceFrameTimes(layout, defaultTimeline);
  const backward = sequenceFrameTimes(layout, resolveTimeline({ reverse: true }));
  assert.deepEqual([...backward], [...forward].reverse());
});

test('a move of more units takes proportionally more frames; a noise station holds holdStart', () => {
  const long: SequenceLayout = { ...layout, moves: [layout.moves[0]!, { ...layout.moves[1]!, units: 2 }, layout.moves[2]!] };
  const timeline = resolveTimeline({ holdStartSeconds: 0.5, holdEndSeconds: 0, bounce: false });
  const times = sequenceFrameTimes(long, timeline);
  assert.equal(times.length, 10 + 60 + 119);
  for (let i = 0; i <= 10; i++) assert.equal(times[i], 0);
});

test('too many frames, or a layout without a move after each station, is refused by name', () => {
  assert.throws(() => sequenceFrameTimes(layout, resolveTimeline({ durationSeconds: 600, fps: 120 })), (e: unknown) => e instanceof FlowGifError && /at most 20000/.test(e.message));
  assert.throws(() => sequenceFrameTimes({ ...layout, moves: layout.moves.slice(0, 2) }, defaultTimeline), FlowGifError);
});
