import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import sharp from 'sharp';
import { bundledSampleFiles, bundledSamplePath } from '../engine/image/samples.js';
import { makeSamples, sampleSpecs } from './make-samples.js';

/** Decoded RGBA: encoders and libvips versions may change the bytes of a file, not the picture. */
async function pixels(bytes: Buffer): Promise<Buffer> {
  return sharp(bytes).ensureAlpha().raw().toBuffer();
}

it('the committed samples are the pictures the generator draws, small and of the declared size', async () => {
  assert.deepEqual(
    sampleSpecs.map((s) => s.file),
    [...bundledSampleFiles],
  );
  const dir = await mkdtemp(join(tmpdir(), 'flowgif-samples-'));
  try {
    const written = await makeSamples(dir);
    for (const spec of sampleSpecs) {
      const committed = await readFile(bundledSamplePath(spec.file as (typeof bundledSampleFiles)[number]));
      const fresh = await readFile(join(dir, spec.file));
      const [a, b] = await Promise.all([pixels(committed), pixels(fresh)]);
      assert.equal(a.length, b.length, `${spec.file}: the generator draws another size`);
      let moved = 0;
      for (let i = 0; i < a.length; i += 4) {
        if (Math.max(Math.abs(a[i]! - b[i]!), Math.abs(a[i + 1]! - b[i + 1]!), Math.abs(a[i + 2]! - b[i + 2]!), Math.abs(a[i + 3]! - b[i + 3]!)) > 8) moved++;
      }
      // Measured: 0 pixels differ. A redrawn shape moves thousands; a lossy re-encode only a few.
      assert.ok(moved <= a.length / 4 / 1000, `${spec.file} differs from the generator's drawing in ${moved} pixels: rerun make-samples`);
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
