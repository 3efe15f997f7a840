import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatBytes } from './format-bytes.js';

test('sizes read in binary units, one decimal below 10 of a unit', () => {
  assert.deepEqual(
    [0, 1023, 1024, 10 * 1024 - 1, 10 * 1024, 1536 * 1024, 300 * 1024 * 1024, 5 * 1024 ** 3, 4096 * 1024 ** 3].map(formatBytes),
    ['0 B', '1023 B', '1.0 KB', '10.0 KB', '10 KB', '1.5 MB', '300 MB', '5.0 GB', '4096 GB'],
  );
  assert.equal(formatBytes(Number.NaN), '—');
  assert.equal(formatBytes(-1), '—');
});
