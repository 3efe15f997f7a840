import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { serializeError, type FlowGifError } from '../../../shared/errors.js';
import { readProject } from './project-files.js';

const secret = 'root:$6$Zq8sEcReT$hash:19000:0:99999:7:::';

/** Everything a host could show of the error: message, hint and file, as serializeError sends them. */
function shown(error: unknown): string {
  return JSON.stringify(serializeError(error));
}

test('a text file or a project with a bad field is refused without quoting the file', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'flowgif-project-'));
  const cases: Array<[string, string, RegExp]> = [
    ['shadow.flowgif', `${secret}\nbin:*:19000:0:99999:7:::\n`, /shadow\.flowgif is not a FlowGIF project: it is not valid JSON\./],
    ['field.flowgif', JSON.stringify({ version: secret, image: { name: secret } }), /field\.flowgif is not a FlowGIF project: bad field /],
    ['array.flowgif', JSON.stringify([secret]), /array\.flowgif is not a FlowGIF project: bad field/],
  ];
  for (const [name, text, pattern] of cases) {
    const file = path.join(dir, name);
    await fs.writeFile(file, text);
    await assert.rejects(readProject(file), (error: FlowGifError) => {
      assert.equal(error.code, 'INVALID_ARGUMENT');
      assert.match(error.message, pattern);
      assert.ok(!shown(error).includes('Zq8sEcReT'), shown(error));
      return true;
    });
  }
  await fs.rm(dir, { recursive: true });
});

test('a FIFO, /dev/zero or an oversized file is not read as a project', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'flowgif-project-'));
  const fifo = path.join(dir, 'pipe.flowgif');
  execFileSync('mkfifo', [fifo]);
  await assert.rejects(readProject(fifo), { code: 'INVALID_ARGUMENT', message: /pipe\.flowgif is a pipe \(FIFO\), not a FlowGIF project file/ });
  await assert.rejects(readProject('/dev/zero'), { code: 'INVALID_ARGUMENT', message: /\/dev\/zero is a device/ });
  const big = path.join(dir, 'big.flowgif');
  await fs.writeFile(big, `"${'x'.repeat(2 * 1024 * 1024)}"`);
  await assert.rejects(readProject(big), { code: 'INVALID_ARGUMENT', message: /big\.flowgif is too large: a FlowGIF project file is limited to 1\.0 MB/ });
  await assert.rejects(readProject(path.join(dir, 'gone.flowgif')), { code: 'NOT_FOUND', message: /gone\.flowgif does not exist/ });
  await fs.rm(dir, { recursive: true });
});
