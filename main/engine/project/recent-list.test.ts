import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { RecentProjects } from './project-files.js';
import { RecentList } from './recent-list.js';

async function tempDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'flowgif-recent-'));
}

test('a recent list keeps the newest first, one entry per key, at most max, across instances (launches)', async () => {
  const dir = await tempDir();
  const file = path.join(dir, 'list.json');
  const make = () => new RecentList<{ id: string; n: number }>({ file, what: 'a test list', max: 3, accept: (e): e is { id: string; n: number } => typeof (e as { id?: unknown }).id === 'string', key: (e) => e.id });
  const list = make();
  await Promise.all(['a', 'b', 'c', 'd'].map((id, n) => list.add({ id, n })));
  await list.add({ id: 'c', n: 9 });
  assert.deepEqual(await make().list(), [{ id: 'c', n: 9 }, { id: 'd', n: 3 }, { id: 'b', n: 1 }]);
  await fs.rm(dir, { recursive: true, force: true });
});

test('a damaged or foreign list reads as empty or keeps only its good entries', async () => {
  const dir = await tempDir();
  await fs.writeFile(path.join(dir, 'recent-projects.json'), '{not json');
  assert.deepEqual(await new RecentProjects(dir).list(), []);
  await fs.writeFile(path.join(dir, 'recent-projects.json'), JSON.stringify(['/a.flowgif', 7, null, '/b.flowgif']));
  assert.deepEqual(await new RecentProjects(dir).list(), ['/a.flowgif', '/b.flowgif']);
  await new RecentProjects(dir).add('/b.flowgif');
  assert.deepEqual(await new RecentProjects(dir).list(), ['/b.flowgif', '/a.flowgif']);
  await fs.rm(dir, { recursive: true, force: true });
});
