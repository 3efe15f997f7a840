import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { withAtomicTarget, writeFileAtomic } from './write-atomic.js';

async function tempDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'flowgif-atomic-'));
}

test('writes replace the target whole and leave no temporary file', async () => {
  const dir = await tempDir();
  const target = path.join(dir, 'out.txt');
  await writeFileAtomic(target, 'first');
  await writeFileAtomic(target, 'second');
  assert.equal(await fs.readFile(target, 'utf8'), 'second');
  assert.deepEqual(await fs.readdir(dir), ['out.txt']);
  await fs.rm(dir, { recursive: true });
});

test('a failing or cancelled producer leaves the old file and no temporary file', async () => {
  const dir = await tempDir();
  const target = path.join(dir, 'out.txt');
  await writeFileAtomic(target, 'kept');
  const controller = new AbortController();
  await assert.rejects(
    withAtomicTarget(target, async (temporary) => {
      await fs.writeFile(temporary, 'half');
      controller.abort();
      controller.signal.throwIfAborted();
    }),
    { name: 'AbortError' },
  );
  assert.equal(await fs.readFile(target, 'utf8'), 'kept');
  assert.deepEqual(await fs.readdir(dir), ['out.txt']);
  await fs.rm(dir, { recursive: true });
});

test('a missing folder, a file used as a folder and a folder as target are clear errors', async () => {
  const dir = await tempDir();
  const file = path.join(dir, 'plain.txt');
  await fs.writeFile(file, 'x');
  await assert.rejects(writeFileAtomic(path.join(dir, 'nope', 'out.gif'), 'x'), { code: 'OUTPUT_UNWRITABLE', message: /does not exist/ });
  await assert.rejects(writeFileAtomic(path.join(file, 'out.gif'), 'x'), { code: 'OUTPUT_UNWRITABLE', message: /not a folder/ });
  await assert.rejects(writeFileAtomic(dir, 'x'), { code: 'OUTPUT_UNWRITABLE', message: /is a folder/ });
  await fs.rm(dir, { recursive: true });
});
