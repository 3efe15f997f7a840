import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import sharp from 'sharp';
import { bundledSamplePath } from '../engine/image/samples.js';
import { makeSamples, sampleSpecs } from './make-samples.js';

it('the committed samples are exactly what the generator makes, small and of the declared size', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'flowgif-samples-'));
  try {
    const written = await makeSamples(dir);
    for (const spec of sampleSpecs) {
      const committed = await readFile(bundledSamplePath(spec.file));
      const fresh = await readFile(join(dir, spec.file));
      const hash = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
      assert.equal(hash(fresh), hash(committed), `${spec.file} differs from the generator's output: rerun make-samples`);
      assert.ok(committed.length <= 30 * 1024, `${spec.file} is ${committed.length} bytes`);
      const meta = await sharp(committed).metadata();
      assert.equal(meta.width, spec.width);
      assert.equal(meta.height, spec.height);
    }
    assert.equal(written.length, sampleSpecs.length);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
