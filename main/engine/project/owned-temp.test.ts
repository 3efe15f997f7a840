import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { temporaryPathFor } from './write-atomic.js';
import { isProcessAlive, ownedTempName, ownerPid, sweepStaleTemps } from './owned-temp.js';

/** The pid of a process that has certainly ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  const pid = Number(child.stdout);
  assert.ok(pid > 0 && !isProcessAlive(pid));
  return pid;
}

test('every temp name the engine makes carries its pid', () => {
  assert.equal(ownerPid(ownedTempName('.flowgif-frames-')), process.pid);
  assert.equal(ownerPid(ownedTempName('flowgif-ort-')), process.pid);
  assert.equal(ownerPid(ownedTempName('flowgif-estimate-')), process.pid);
  assert.equal(ownerPid(path.basename(temporaryPathFor('/x/out.gif'))), process.pid);
  assert.equal(ownerPid('out.gif'), undefined);
  assert.equal(ownerPid('flowgif-ort-notapid'), undefined);
});

test("a sweep removes what dead processes left, and keeps live processes' and everyone else's files", async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'flowgif-sweep-test-'));
  try {
    const dead = deadPid();
    const stale = [`.flowgif-frames-${dead}-0a1b2c3d`, `.out.gif.${dead}-0a1b2c3d.partial`, `flowgif-ort-${dead}-0a1b2c3d`, `flowgif-estimate-${dead}-0a1b2c3d`];
    // pid 1 is alive everywhere (and owned by root: EPERM for others, which still means alive).
    const kept = [ownedTempName('.flowgif-frames-'), `flowgif-ort-1-0a1b2c3d`, 'out.gif', `.flowgif-frames-${dead}`, 'notes.txt'];
    for (const name of [...stale, ...kept]) {
      if (name.includes('frames') || name.includes('ort') || name.includes('estimate')) await fs.mkdir(path.join(dir, name));
      else await fs.writeFile(path.join(dir, name), 'x');
    }
    await fs.writeFile(path.join(dir, stale[0]!, 'frame-0001.png'), 'x');
    const removed = await sweepStaleTemps(dir);
    assert.deepEqual(removed.map((p) => path.basename(p)).sort(), [...stale].sort());
    assert.deepEqual((await fs.readdir(dir)).sort(), [...kept].sort());
    assert.deepEqual(await sweepStaleTemps(path.join(dir, 'missing')), []);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});
