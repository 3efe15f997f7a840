import assert from 'node:assert/strict';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { bundledSamplePath, bundledSamples, bundledSamplesDir } from '../engine/image/samples.js';
import { listSamples } from './samples-list.js';

it('lists the bundled samples in their order with the titles of engine/image/samples.ts', async () => {
  assert.deepEqual(
    await listSamples(bundledSamplesDir()),
    bundledSamples.map(({ file, title }) => ({ name: file, title })),
  );
});

it('lists a picture it does not know after the bundled ones, titled from its name', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'flowgif-samples-list-'));
  try {
    await copyFile(bundledSamplePath('heart.png'), join(dir, 'heart.png'));
    await copyFile(bundledSamplePath('heart.png'), join(dir, 'a_new-shape.png'));
    assert.deepEqual(await listSamples(dir), [
      { name: 'heart.png', title: 'Heart' },
      { name: 'a_new-shape.png', title: 'A new shape' },
    ]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
