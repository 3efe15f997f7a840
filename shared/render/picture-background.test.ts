import assert from 'node:assert/strict';
import { test } from 'node:test';
import { colourDistance } from './colour.js';
import { backdropOf, MIN_INK_CONTRAST, outputBackground, parseBackground, standOut, standOutColour } from './picture-background.js';

test("backgrounds by name: auto, white, black, transparent, or a hex colour; anything else is refused", () => {
  assert.equal(parseBackground('auto'), 'auto');
  assert.deepEqual(parseBackground('White'), [255, 255, 255, 255]);
  assert.deepEqual(parseBackground('black'), [0, 0, 0, 255]);
  assert.deepEqual(parseBackground('transparent'), [0, 0, 0, 0]);
  assert.deepEqual(parseBackground('#10203080'), [16, 32, 48, 128]);
  assert.equal(parseBackground('grey'), undefined);
  assert.equal(parseBackground('constructor'), undefined);
});

test("'auto' is the picture's own; a transparent output is judged against what the picture sits on", () => {
  const picture = { rgba: [0, 0, 0, 255] as const, transparent: false };
  assert.deepEqual(outputBackground('auto', picture), [0, 0, 0, 255]);
  assert.deepEqual(outputBackground([1, 2, 3, 255], picture), [1, 2, 3, 255]);
  assert.deepEqual(backdropOf([0, 0, 0, 0], picture), [0, 0, 0, 255]);
  assert.deepEqual(backdropOf([255, 255, 255, 255], picture), [255, 255, 255, 255]);
});

test('standOut moves only colours too near the backdrop, just far enough, keeping their hue where it can', () => {
  const white = [255, 255, 255, 255] as const;
  const colours = Uint8ClampedArray.from([17, 17, 17, 255, 255, 255, 255, 255, 200, 220, 255, 255, 212, 212, 212, 255]);
  const out = standOut(colours, white);
  assert.deepEqual([...out.subarray(0, 4)], [17, 17, 17, 255], 'dark ink is left alone');
  for (let i = 4; i < 16; i += 4) {
    const d = colourDistance(out[i]!, out[i + 1]!, out[i + 2]!, 255, 255, 255);
    assert.ok(d >= MIN_INK_CONTRAST - 1 && d < MIN_INK_CONTRAST + 2, `colour ${i / 4}: ${d.toFixed(1)} from white`);
  }
  assert.ok(out[10]! > out[8]! + 20, 'a pale blue becomes a clearer blue, not a grey');
  // White ink on black: nothing to do; black on black: lifted to a dark grey.
  assert.deepEqual(standOutColour([255, 255, 255, 255], [0, 0, 0, 255]), [255, 255, 255, 255]);
  const lifted = standOutColour([0, 0, 0, 255], [0, 0, 0, 255]);
  assert.ok(colourDistance(lifted[0], lifted[1], lifted[2], 0, 0, 0) >= MIN_INK_CONTRAST - 1);
});
