import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { colourDistance } from '../../../shared/render/colour.js';
import { makeTestPicture } from '../../tools/fixture-pictures.js';
import type { ImageDensity } from './density.js';
import { densityFromBytes } from './load-density.js';

/** Share of the mass on pixels whose ink is within `tolerance` of `hex`. */
function massNear(density: ImageDensity, hex: string, tolerance: number): number {
  const [r, g, b] = [1, 3, 5].map((o) => parseInt(hex.slice(o, o + 2), 16)) as [number, number, number];
  let near = 0;
  density.probabilities.forEach((p, i) => {
    const c = density.colours;
    if (p > 0 && colourDistance(c[4 * i]!, c[4 * i + 1]!, c[4 * i + 2]!, r, g, b) <= tolerance) near += p;
  });
  return near;
}

describe('mass measured against the picture’s own background', () => {
  it('a logo on a coloured card: the card is the background and carries no mass', async () => {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="120"><rect width="200" height="120" fill="#2a9d8f"/><circle cx="100" cy="60" r="40" fill="#e9c46a"/></svg>`;
    const density = await densityFromBytes(await sharp(Buffer.from(svg)).png().toBuffer(), 'card.png');
    assert.deepEqual(density.background, { rgba: [42, 157, 143, 255], transparent: false });
    // The card's pixels weigh nothing; the disc and its anti-aliased rim, unmixed, carry it all.
    assert.equal(density.probabilities[0], 0);
    const share = massNear(density, '#e9c46a', 12);
    assert.ok(share > 0.98, `${share.toFixed(3)} of the mass is the disc's own yellow`);
  });

  it('white-on-black text: black is the background, the letters are the mass and their ink is white', async () => {
    const density = await densityFromBytes((await makeTestPicture('white-on-black-text')).bytes, 'wob.png');
    assert.deepEqual(density.background.rgba, [0, 0, 0, 255]);
    assert.ok(massNear(density, '#ffffff', 12) > 0.98);
    assert.deepEqual(density.inkColour.slice(0, 3).map((c) => c > 245), [true, true, true]);
  });

  it('faint grey on near-white: all the mass is the letters', async () => {
    const density = await densityFromBytes((await makeTestPicture('faint-text')).bytes, 'faint.png');
    assert.deepEqual(density.background.rgba, [246, 246, 246, 255]);
    const share = massNear(density, '#d4d4d4', 6);
    assert.ok(share > 0.98, `${share.toFixed(3)} on the letters' grey`);
  });

  it('a transparent logo: its ink is the colour before compositing, edges included, and it sits on white', async () => {
    const density = await densityFromBytes((await makeTestPicture('transparent-logo')).bytes, 'logo.png');
    assert.deepEqual(density.background, { rgba: [255, 255, 255, 255], transparent: true });
    assert.ok(massNear(density, '#1d2d50', 3) > 0.999);
  });

  it("black text's anti-aliased edges are unmixed to the text's own colour", async () => {
    const density = await densityFromBytes((await makeTestPicture('black-text')).bytes, 'text.png');
    const share = massNear(density, '#111111', 8);
    assert.ok(share > 0.97, `${share.toFixed(3)} of the mass has the ink #111111`);
  });

  it("a photo's border is no background: its mass is today's luma weight and it sits on white", async () => {
    const density = await densityFromBytes((await makeTestPicture('photo')).bytes, 'photo.jpg');
    assert.deepEqual(density.background, { rgba: [255, 255, 255, 255], transparent: false });
  });

  it('--invert (mass light) puts a dark-on-white picture on black, never white on white', async () => {
    const density = await densityFromBytes((await makeTestPicture('black-text')).bytes, 'text.png', { invert: true });
    assert.equal(density.options.mass, 'light');
    assert.deepEqual(density.background.rgba, [0, 0, 0, 255]);
  });
});
