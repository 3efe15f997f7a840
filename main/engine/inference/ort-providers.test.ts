import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ortExecutionProviders } from './ort-providers.js';
import { cudaSessionsStart } from './ort-session.js';

describe('ortExecutionProviders', () => {
  it('is the CPU provider alone as npm installs the package (no CUDA files)', () => {
    assert.deepEqual(ortExecutionProviders(), ['cpu']);
  });

  it('asks for CUDA first where its provider library was fetched', { skip: !['linux', 'win32'].includes(process.platform) }, () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowgif-ort-providers-'));
    try {
      const bin = path.join(dir, 'bin', 'napi-v6', process.platform, process.arch);
      fs.mkdirSync(bin, { recursive: true });
      assert.deepEqual(ortExecutionProviders(dir), ['cpu']);
      const file = process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so';
      fs.writeFileSync(path.join(bin, file), '');
      assert.deepEqual(ortExecutionProviders(dir), ['cuda', 'cpu']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('cudaSessionsStart', () => {
  it('says no where CUDA cannot run, even with its provider asked for: the app does not claim the GPU then', { skip: ortExecutionProviders().includes('cuda') && 'CUDA is installed here' }, async () => {
    assert.equal(await cudaSessionsStart(['cpu']), false);
    // As if the provider's file were fetched on a machine without CUDA's libraries: a session on it fails.
    assert.equal(await cudaSessionsStart(['cuda', 'cpu']), false);
  });
});
