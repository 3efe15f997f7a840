import { test } from 'node:test';
import assert from 'node:assert/strict';
import { colourMapNames, colourMapTable, isColourMapName, sampleColourMap } from './colour-maps.js';
import { parseHexColour } from './colour.js';

const luma = ([r, g, b]: readonly number[]): number => 0.299 * r! + 0.587 * g! + 0.114 * b!;

test('each map is a 256-entry table whose lightness runs one way', () => {
  for (const name of colourMapNames) {
    assert.equal(colourMapTable(name).length, 768, name);
    const lumas = Array.from({ length: 11 }, (_, i) => luma(sampleColourMap(name, i / 10)));
    const rising = name !== 'ink';
    for (let i = 1; i < lumas.length; i++) assert.ok(rising ? lumas[i]! > lumas[i - 1]! : lumas[i]! < lumas[i - 1]!, `${name} at ${i / 10}`);
  }
  assert.deepEqual(sampleColourMap('ink', 0), [255, 255, 255]);
  assert.deepEqual(sampleColourMap('ink', 1), [0, 0, 0]);
  assert.deepEqual(sampleColourMap('magma', 0), [0, 0, 4]);
  assert.deepEqual(sampleColourMap('viridis', 1), [0xfd, 0xe7, 0x25]);
  assert.ok(isColourMapName('inferno') && !isColourMapName('jet'));
});

test('hex colours parse in their three lengths', () => {
  assert.deepEqual(parseHexColour('#fff'), [255, 255, 255, 255]);
  assert.deepEqual(parseHexColour('102030'), [16, 32, 48, 255]);
  assert.deepEqual(parseHexColour('#10203040'), [16, 32, 48, 64]);
  assert.equal(parseHexColour('#12'), undefined);
  assert.equal(parseHexColour('red'), undefined);
});
