import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PreviewFrames } from '../../../shared/render/preview-frames.js';
import { resolveRenderSettings } from '../../../shared/render/render-settings.js';
import { particleBudget, PreviewRenderer } from './preview-renderer.js';
import { ringFlow } from './preview-warm-up.js';

/** A 2D context that keeps a copy of each frame put on it. */
function recordingContext(): { context: CanvasRenderingContext2D; puts: Uint8ClampedArray[] } {
  const puts: Uint8ClampedArray[] = [];
  const context = { putImageData: (image: ImageData) => puts.push(Uint8ClampedArray.from(image.data)) };
  return { context: context as unknown as CanvasRenderingContext2D, puts };
}

/** Runs `body` with a stand-in ImageData: Node has none, and the renderer needs only its size and bytes. */
function withImageData(body: () => void): void {
  const globals = globalThis as { ImageData?: unknown };
  const saved = globals.ImageData;
  globals.ImageData = class {
    readonly data: Uint8ClampedArray;
    constructor(
      readonly width: number,
      readonly height: number,
    ) {
      this.data = new Uint8ClampedArray(4 * width * height);
    }
  };
  try {
    body();
  } finally {
    globals.ImageData = saved;
  }
}

test('playing, the next export frame is drawn ahead between animation frames and put on show when due, the frame drawn in one go', () => {
  const original = PreviewFrames.prototype.drawInStages;
  withImageData(() => {
    try {
      const data = ringFlow(3000);
      const style = resolveRenderSettings({ particles: 3000 });
      // Which call of play ran each stage of each frame's t.
      let call = 0;
      const stagesRun = new Map<number, number[]>();
      PreviewFrames.prototype.drawInStages = function* (this: PreviewFrames, t: number, target: Uint8ClampedArray, count?: number) {
        const stages = original.call(this, t, target, count);
        for (;;) {
          stagesRun.set(t, [...(stagesRun.get(t) ?? []), call]);
          const next = stages.next();
          if (next.done === true) return next.value;
          yield;
        }
      };
      const renderer = new PreviewRenderer();
      renderer.update(data, style, 160);
      const { context, puts } = recordingContext();
      const still = renderer.draw(context, 0.25);
      assert.equal(still?.particles, 3000);
      assert.equal(puts.length, 1);
      // A clock on which every reading is 5 ms on: each stage seems to cost 5 ms, so an animation
      // frame's 12 ms share holds one, and the frame is spread over as many animation frames.
      const realNow = performance.now.bind(performance);
      let clock = realNow();
      performance.now = () => (clock += 5);
      try {
        // Play starts on the frame already on show: nothing is drawn again, the next frame is begun.
        assert.equal(renderer.play(context, 0.25, 0.5), undefined);
        assert.equal(puts.length, 1, 'the still frame stays on show');
        // Animation frames while 0.25 is on show: the 0.5 frame's stages run, nothing is put.
        for (call = 1; call <= 12; call++) assert.equal(renderer.play(context, 0.25, 0.5), undefined);
      } finally {
        performance.now = realNow;
      }
      assert.equal(puts.length, 1);
      const due = call;
      const shown = renderer.play(context, 0.5, 0.75);
      const run = stagesRun.get(0.5)!;
      assert.deepEqual(run, Array.from({ length: run.length }, (_, i) => i), `a stage an animation frame when each costs 5 ms (calls ${run.join(', ')})`);
      assert.ok(run.length >= 8 && run.every((c) => c < due), `every stage of the 0.5 frame ran ahead of its turn (in calls ${run.join(', ')}; due in ${due})`);
      assert.equal(puts.length, 2, 'the frame drawn ahead is put on show when its time comes');
      assert.ok(shown !== undefined && shown.particles === 3000 && shown.ms > 0);
      const reference = new PreviewFrames(data, style, 160).draw(0.5, new Uint8ClampedArray(puts[1]!.length));
      assert.deepEqual(puts[1], reference, 'the frame drawn in stages is the frame drawn at once');
      // A frame not drawn ahead (playback jumped) is drawn when due, the same pixels.
      renderer.play(context, 0.9, 0.95);
      assert.deepEqual(puts[2], new PreviewFrames(data, style, 160).draw(0.9, new Uint8ClampedArray(puts[2]!.length)));
    } finally {
      PreviewFrames.prototype.drawInStages = original;
    }
  });
});

test('playing thins the particles only when four frames in a row ran long, and restores them when all came in well under', () => {
  const all = 200_000;
  assert.equal(particleBudget([40, 9, 9], all, all), all, 'fewer than four frames say nothing');
  assert.equal(particleBudget([40, 9, 9, 9], all, all), all, 'one slow frame (the first after a seek) is no trend');
  assert.equal(particleBudget([17, 30, 40, 17], all, all), 170_000, 'four slow frames thin by 15 %');
  assert.equal(particleBudget([9, 17, 30, 40, 17], all, all), 170_000, 'the last four count');
  assert.equal(particleBudget([17, 30, 40, 17], 4100, all), 4000, 'never below 4000');
  assert.equal(particleBudget([10, 11, 9, 11], 100_000, all), 110_000, 'four quick frames restore by 10 %');
  assert.equal(particleBudget([10, 11, 9, 11], 190_000, all), all, 'up to all of them');
  assert.equal(particleBudget([10, 13, 9, 11], 100_000, all), 100_000, 'near the budget, no change');
});

test('a still frame already on the canvas is not drawn again, unless the canvas was cleared or is another', () => {
  withImageData(() => {
    const renderer = new PreviewRenderer();
    renderer.update(ringFlow(2000), resolveRenderSettings({ particles: 2000 }), 128);
    const { context, puts } = recordingContext();
    assert.notEqual(renderer.draw(context, 0.5), undefined);
    assert.equal(renderer.draw(context, 0.5), undefined, 'a pause on the frame on show draws nothing');
    assert.equal(puts.length, 1);
    renderer.cleared();
    assert.notEqual(renderer.draw(context, 0.5), undefined, 'a canvas whose size was set again is blank: drawn again');
    const other = recordingContext();
    assert.notEqual(renderer.draw(other.context, 0.5), undefined, 'another canvas is drawn on');
    assert.deepEqual(other.puts[0], puts[1]);
    assert.equal(puts.length, 2);
  });
});

