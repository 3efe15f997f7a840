import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readRegularFile, type ReadRegularFileOptions } from './read-regular-file.js';

const options: ReadRegularFileOptions = {
  what: 'an image file',
  maxBytes: 1000,
  codes: { notFound: 'IMAGE_NOT_FOUND', notRegular: 'IMAGE_UNSUPPORTED', tooLarge: 'IMAGE_TOO_LARGE' },
};

test('a regular file up to the cap is read whole', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'flowgif-read-'));
  const file = path.join(dir, 'a.png');
  await fs.writeFile(file, Buffer.alloc(1000, 7));
  const bytes = await readRegularFile(file, options);
  assert.equal(bytes.length, 1000);
  assert.ok(bytes.every((b) => b === 7));
  await fs.writeFile(file, Buffer.alloc(1001, 7));
  await assert.rejects(readRegularFile(file, options), { code: 'IMAGE_TOO_LARGE', message: /a\.png is too large: an image file is limited to 1000 B/ });
  await fs.rm(dir, { recursive: true });
});

test('FIFOs, devices and folders are refused without being opened or read', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'flowgif-read-'));
  const fifos = [1, 2, 3, 4, 5, 6].map((i) => path.join(dir, `pipe${i}.png`));
  for (const fifo of fifos) execFileSync('mkfifo', [fifo]);
  // More FIFOs than libuv has threads (4): had any open blocked, the last ones could never settle.
  const results = await Promise.allSettled(fifos.map((fifo) => readRegularFile(fifo, options)));
  for (const result of results) {
    assert.equal(result.status, 'rejected');
    assert.match(String((result as PromiseRejectedResult).reason.message), /pipe\d\.png is a pipe \(FIFO\), not an image file\./);
  }
  await assert.rejects(readRegularFile('/dev/zero', { ...options, maxBytes: 256 * 1024 * 1024 }), { code: 'IMAGE_UNSUPPORTED', message: /^\/dev\/zero is a device, not an image file\.$/ });
  await assert.rejects(readRegularFile(dir, options), { code: 'IMAGE_UNSUPPORTED', message: /is a folder, not an image file/ });
  await assert.rejects(readRegularFile(path.join(dir, 'missing.png'), options), { code: 'IMAGE_NOT_FOUND', message: /missing\.png does not exist/ });
  await fs.rm(dir, { recursive: true });
});

test('a pseudo-file whose stat says 0 bytes is still read, and still capped', async () => {
  const status = await readRegularFile('/proc/self/status', { ...options, maxBytes: 1024 * 1024 });
  assert.match(status.toString('utf8'), /^Name:/);
  await assert.rejects(readRegularFile('/proc/self/status', { ...options, maxBytes: 16 }), { code: 'IMAGE_TOO_LARGE' });
});
