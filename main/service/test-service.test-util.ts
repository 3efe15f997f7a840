import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ImageInfo } from '../../shared/ipc/contract.js';
import { bundledSamplesDir } from '../engine/image/samples.js';
import { EngineService, type EngineServiceOptions } from './engine-service.js';
import { JobWatcher, ok } from './job-watcher.test-util.js';

/** A web-host engine on a temp folder of its own, its events recorded, the heart sample open. */
export interface TestService {
  readonly root: string;
  readonly service: EngineService;
  readonly watcher: JobWatcher;
  readonly heart: ImageInfo;
  readonly bugs: unknown[];
}

export async function startTestService(prefix: string, options: Partial<EngineServiceOptions> = {}): Promise<TestService> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  const bugs: unknown[] = [];
  const service = new EngineService({
    host: 'web',
    dataDir: path.join(root, 'data'),
    samplesDir: bundledSamplesDir(),
    tempDir: path.join(root, 'temp'),
    defaultExportFolder: path.join(root, 'Pictures', 'FlowGIF'),
    logBug: (error) => bugs.push(error),
    ...options,
  });
  const watcher = new JobWatcher(service);
  const heart = await ok(service, 'image:open', { source: { kind: 'sample', name: 'heart.png' } });
  return { root, service, watcher, heart, bugs };
}

/** Shuts the engine down, removes its folder, and fails the file if anything unexpected was logged. */
export async function stopTestService(test: TestService): Promise<void> {
  await test.service.dispose();
  await fs.rm(test.root, { recursive: true, force: true });
  assert.deepEqual(test.bugs, [], 'no unexpected errors were logged');
}
