import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { exportFormats, formatExtensions } from '../../../shared/export-formats.js';
import { checkEncodeDestination } from '../encode/encode.js';
import { formatForPath } from './render-flow.js';

it('reads the format from every extension of shared/export-formats.ts, and the encoders take exactly those names', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'flowgif-formats-'));
  try {
    for (const format of exportFormats) {
      for (const extension of formatExtensions[format]) {
        for (const name of [`clip${extension}`, `clip${extension.toUpperCase()}`]) {
          assert.equal(formatForPath(name), format, name);
          await checkEncodeDestination(format, join(dir, name));
          for (const other of exportFormats.filter((f) => f !== format)) {
            await assert.rejects(checkEncodeDestination(other, join(dir, name)), /names .*, but the format is/, `${other} to ${name}`);
          }
        }
      }
    }
    assert.equal(formatForPath(join(dir, 'frames/')), 'png');
    assert.throws(() => formatForPath('clip.avi'), /Cannot tell the format/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
