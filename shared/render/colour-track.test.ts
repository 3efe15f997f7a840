import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coloursOfTrack, uniformPalette, type ColourTrack } from './colour-track.js';
import { inkFormWeight } from './particle-colours.js';

const cloud = uniformPalette(2, [100, 100, 100, 255]);
const own = Uint8ClampedArray.from([200, 0, 0, 255, 0, 0, 200, 255]);
const next = Uint8ClampedArray.from([0, 200, 0, 255, 0, 200, 0, 255]);
// A flow in (forming), a straight move to the next picture, and a flow out (dissolving).
const track: ColourTrack = {
  palettes: [cloud, own, next],
  spans: [
    { start: 0, end: 0.4, from: 0, to: 1, curve: 'form' },
    { start: 0.4, end: 0.6, from: 1, to: 2, curve: 'linear' },
    { start: 0.6, end: 1, from: 2, to: 0, curve: 'unform' },
  ],
};

test('a track is the cloud at both ends and each picture’s own colours at its station', () => {
  const at = coloursOfTrack(track);
  assert.deepEqual([...at(0)], [...cloud]);
  assert.deepEqual([...at(0.4)], [...own]);
  assert.deepEqual([...at(0.6)], [...next]);
  assert.deepEqual([...at(1)], [...cloud]);
});

test('forming follows a single flow’s ink weight; a straight move blends evenly', () => {
  const at = coloursOfTrack(track);
  const u = 0.8;
  const w = inkFormWeight(u);
  assert.equal(at(0.4 * u)[0], Math.round(100 + w * 100));
  assert.equal(at(0.5)[0], 100);
  assert.equal(at(0.5)[1], 100);
  // Dissolving mirrors forming: as far into the way out as the way in was from its end.
  assert.equal(at(0.6 + 0.4 * (1 - u))[1], Math.round(100 + w * 100));
});
