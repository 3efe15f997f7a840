import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatByteBudget, formatDecimalBytes, parseByteSize } from './byte-size.js';

test('sizes parse in decimal units, binary where the unit says so', () => {
  const cases: Array<[string, number]> = [
    ['5MB', 5_000_000],
    ['15 MB', 15_000_000],
    ['500kB', 500_000],
    ['500KB', 500_000],
    ['1.5GB', 1_500_000_000],
    ['8MiB', 8 * 2 ** 20],
    ['64 KiB', 65_536],
    ['250000', 250_000],
    ['2m', 2_000_000],
  ];
  for (const [text, bytes] of cases) assert.equal(parseByteSize(text), bytes, text);
});

test('anything else is refused', () => {
  for (const text of ['', 'MB', '5 TB', '-5MB', '5MB!', '0', '0.1', 'five MB', '5e6']) assert.equal(parseByteSize(text), undefined, text);
});

test('a budget is said in the units it was written in', () => {
  assert.equal(formatByteBudget(5_000_000), '5 MB');
  assert.equal(formatByteBudget(1_500_000), '1.5 MB');
  assert.equal(formatByteBudget(500_000), '500 kB');
  assert.equal(formatByteBudget(8 * 2 ** 20), '8 MiB');
  assert.equal(formatByteBudget(123_457), '123,457 bytes');
  assert.equal(formatByteBudget(999), '999 bytes');
});

test('sizes are said in decimal units beside a budget', () => {
  assert.deepEqual([160_600, 4_990_000, 12_345_678, 999, 2_500_000_000].map(formatDecimalBytes), ['161 kB', '4.99 MB', '12.3 MB', '999 bytes', '2.50 GB']);
});
