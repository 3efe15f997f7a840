import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { noopJobContext } from '../../../shared/job.js';
import type { MorphStyle } from '../../../shared/morph-style.js';
import { resolveRenderSettings, type RenderSettings } from '../../../shared/render/render-settings.js';
import { makeTestPicture, type TestPictureName } from '../../tools/fixture-pictures.js';
import { prepareExactFlow } from '../flow/exact-flow.js';
import { densityFromBytes, loadDensity } from '../image/load-density.js';
import { bundledSamplePath } from '../image/samples.js';
import { inkMask, iou, pictureMask } from './frame-measures.test-util.js';
import type { Scene } from './scene.js';
import { prepareSequenceScene, type ScenePicture } from './sequence-scene.js';
import { positionsAt } from './trajectory.js';

/**
 * Issue 11's morph and sequences on the exact flow: the frames held at each station show that
 * station's picture, the moves between them really move, and the loop closes on its first frame.
 */
const settings: RenderSettings = resolveRenderSettings({ size: 160, particles: 16_000 });

const opened: ScenePicture[] = [];
async function picture(name: TestPictureName | 'heart.png' | 'star.jpg'): Promise<ScenePicture> {
  const density = name === 'heart.png' || name === 'star.jpg' ? await loadDensity(bundledSamplePath(name)) : await densityFromBytes((await makeTestPicture(name as TestPictureName)).bytes, name);
  const made = { density, field: await prepareExactFlow(density, {}, noopJobContext) };
  opened.push(made);
  return made;
}

/** Runs of frames at one τ at least `min` long: the holds, in order. */
function holds(times: Float64Array, min: number): number[] {
  const out: number[] = [];
  let run = 1;
  for (let i = 1; i <= times.length; i++) {
    if (i < times.length && times[i] === times[i - 1]) run++;
    else {
      if (run >= min) out.push(times[i - 1]!);
      run = 1;
    }
  }
  return out;
}

function inkAt(scene: Scene, tau: number): Uint8Array {
  return inkMask(Uint8ClampedArray.from(scene.drawAt(tau)), scene.raster.background);
}

describe('morph and sequence scenes', () => {
  after(() => {
    for (const { field } of opened) field.dispose();
  });

  for (const style of ['direct', 'dissolve'] as const satisfies readonly MorphStyle[]) {
    it(`morph ${style}: the first frame shows A, the frames held after the motion show B, and the loop closes`, async () => {
      const a = await picture('colour-logo');
      const b = await picture('star.jpg');
      const scene = await prepareSequenceScene({ flows: [a, b], style, fromNoise: false }, settings, {}, noopJobContext);
      const times = scene.frameTimes(settings.timeline);
      const maskA = pictureMask(scene.raster, a.density);
      const maskB = pictureMask(scene.raster, b.density);
      const [onA, onB] = holds(times, 10);
      assert.equal(times[0], 0);
      assert.equal(onA, 0, 'A is held first');
      assert.ok(onB !== undefined && onB > 0 && onB < 1, `B is held mid-loop: holds at ${holds(times, 10).join(', ')}`);
      const first = inkAt(scene, times[0]!);
      const arrived = inkAt(scene, onB);
      // Measured (direct and dissolve alike, the stations are the flows' own ends): first vs A
      // 0.938, arrived vs B 0.847; first vs B 0.162, arrived vs A 0.181.
      assert.ok(iou(first, maskA) >= 0.9, `first frame vs A: IoU ${iou(first, maskA).toFixed(3)}`);
      assert.ok(iou(arrived, maskB) >= 0.8, `held frame vs B: IoU ${iou(arrived, maskB).toFixed(3)}`);
      assert.ok(iou(first, maskB) < iou(first, maskA) - 0.3 && iou(arrived, maskA) < iou(arrived, maskB) - 0.3, `the two pictures differ: ${iou(first, maskB).toFixed(3)}, ${iou(arrived, maskA).toFixed(3)}`);
      // The way back ends where the loop starts: τ = 1 draws the first frame to the bit.
      assert.deepEqual(Uint8ClampedArray.from(scene.drawAt(1)), Uint8ClampedArray.from(scene.drawAt(0)));
      assert.ok(times.at(-1)! < 1, 'a repeating loop stops a frame short of its start');
    });
  }

  it('a direct morph moves each particle along a straight line from A to B', async () => {
    const a = await picture('colour-logo');
    const b = await picture('heart.png');
    const scene = await prepareSequenceScene({ flows: [a, b], style: 'direct', fromNoise: false }, settings, {}, noopJobContext);
    const times = scene.frameTimes(settings.timeline);
    const [, onB] = holds(times, 10);
    const start = positionsAt(scene.trajectory, 0);
    const end = positionsAt(scene.trajectory, onB!);
    const mid = positionsAt(scene.trajectory, onB! / 2);
    let worst = 0;
    for (let i = 0; i < start.length; i++) worst = Math.max(worst, Math.abs(mid[i]! - (start[i]! + end[i]!) / 2));
    assert.ok(worst < 1e-4, `halfway in τ is halfway along the line: worst ${worst}`);
    assert.deepEqual(scene.solved[1]!.end, end, 'and lands where B’s flow puts it');
  });

  it('make A B C: noise, then the frames at each hold match each picture in turn, and back to the noise', async () => {
    const pictures = [await picture('heart.png'), await picture('star.jpg'), await picture('banner')];
    for (const style of ['direct', 'dissolve'] as const) {
      const scene = await prepareSequenceScene({ flows: pictures, style, fromNoise: true }, settings, {}, noopJobContext);
      const times = scene.frameTimes(settings.timeline);
      const held = holds(times, 10);
      assert.equal(held.length, 3, `one hold a picture (${style}): ${held.join(', ')}`);
      const masks = pictures.map((p) => pictureMask(scene.raster, p.density));
      const scores = held.map((tau) => masks.map((mask) => iou(inkAt(scene, tau), mask)));
      // Measured (direct and dissolve alike): each hold vs its own picture 0.969 (heart), 0.847
      // (star), 0.642 (the banner's thin letters, small in the square frame the three share); vs
      // the others at most 0.344; the noise vs each 0.718, 0.296, 0.090.
      scores.forEach((row, k) => {
        assert.ok(row[k]! >= 0.6, `${style}, hold ${k} vs its picture: ${row.map((x) => x.toFixed(3)).join(' ')}`);
        for (let j = 0; j < row.length; j++) {
          if (j !== k) assert.ok(row[j]! < row[k]! - 0.4, `${style}, hold ${k} vs picture ${j}: ${row.map((y) => y.toFixed(3)).join(' ')}`);
        }
      });
      const noise = inkAt(scene, 0);
      const onNoise = masks.map((mask) => iou(noise, mask));
      assert.ok(onNoise.every((x, k) => x < scores[k]![k]! - 0.2), `the first frame is the noise: ${onNoise.map((x) => x.toFixed(3)).join(' ')}`);
      assert.deepEqual(Uint8ClampedArray.from(scene.drawAt(1)), Uint8ClampedArray.from(scene.drawAt(0)), `${style}: the loop closes on the noise`);
    }
  });

  it('a size-limited export’s second try reuses the first try’s solves', async () => {
    const pictures = [await picture('colour-logo'), await picture('heart.png')];
    const first = await prepareSequenceScene({ flows: pictures, style: 'direct', fromNoise: false }, settings, {}, noopJobContext);
    const again = await prepareSequenceScene({ flows: pictures, style: 'direct', fromNoise: false }, { ...settings, size: 96 }, { solved: first.solved }, noopJobContext);
    assert.equal(again.solved[0], first.solved[0]);
    assert.equal(again.solved[1], first.solved[1]);
    assert.deepEqual(again.trajectory.positions, first.trajectory.positions);
  });
});
