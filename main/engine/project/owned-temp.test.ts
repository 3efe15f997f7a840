import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { hostTag, isProcessAlive, ownedTempName, parseOwnedTempName, sweepStaleTemps } from './owned-temp.js';

/** The pid of a process that has really ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

test('names carry the owner: pid and host are read back, other names are not ours', () => {
  const name = ownedTempName('partial', { target: '/x/out.gif' });
  assert.match(name, new RegExp(`^\\.out\\.gif\\.flowgif-partial-${process.pid}-${hostTag}-[0-9a-f]{8}$`));
  assert.deepEqual(parseOwnedTempName(name), { kind: 'partial', pid: process.pid, host: hostTag, target: 'out.gif' });
  assert.equal(parseOwnedTempName(ownedTempName('ort'))?.kind, 'ort');
  assert.equal(parseOwnedTempName(ownedTempName('frames', { hidden: true }))?.target, undefined);
  for (const other of ['notes.txt', '.flowgif-frames-Jix6Kr', 'flowgif-ort-0-abcd-12345678', 'out.gif.flowgif-partial-12-abcd-12345678', 'flowgif-web-123-abcd-12345678']) {
    assert.equal(parseOwnedTempName(other), undefined, other);
  }
});

test('liveness: this process and pid 1 are alive, an ended process is gone', () => {
  assert.equal(isProcessAlive(process.pid), true);
  assert.equal(isProcessAlive(1), true);
  assert.equal(isProcessAlive(deadPid()), false);
});

test('a sweep removes only what dead processes of this machine left, and puts an export moved aside back', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'flowgif-sweep-'));
  const dead = deadPid();
  const stale = [`.out.gif.flowgif-partial-${dead}-${hostTag}-00000001`, `.flowgif-frames-${dead}-${hostTag}-00000002`, `flowgif-estimate-${dead}-${hostTag}-00000003`, `flowgif-session-${dead}-${hostTag}-00000007`];
  const kept = [
    ownedTempName('partial', { target: 'live.gif' }),
    `flowgif-ort-${dead}-${hostTag === 'ffff' ? 'fffe' : 'ffff'}-00000004`,
    'notes.txt',
    `frames.flowgif-partial-${dead}-${hostTag}-00000005`,
  ];
  await fs.writeFile(path.join(dir, stale[0]!), 'half');
  await fs.mkdir(path.join(dir, stale[1]!));
  await fs.writeFile(path.join(dir, stale[1]!, 'frame-0001.png'), 'x');
  await fs.mkdir(path.join(dir, stale[2]!));
  // A killed app's or web host's working folder, a trained model inside.
  await fs.mkdir(path.join(dir, stale[3]!, 'models'), { recursive: true });
  await fs.writeFile(path.join(dir, stale[3]!, 'models', 'm.flow'), 'x');
  for (const name of kept) await fs.writeFile(path.join(dir, name), 'keep');
  // A link with a stale name goes; what it points to stays.
  const outside = await fs.mkdtemp(path.join(os.tmpdir(), 'flowgif-sweep-target-'));
  await fs.writeFile(path.join(outside, 'precious'), 'x');
  const link = `.link.flowgif-partial-${dead}-${hostTag}-00000006`;
  await fs.symlink(outside, path.join(dir, link));
  // A previous PNG export that a killed swap had moved aside, its name not yet retaken.
  await fs.mkdir(path.join(dir, `.frames.flowgif-old-${dead}-${hostTag}-00000007`));

  const removed = await sweepStaleTemps(dir);
  assert.deepEqual(removed.sort(), [...stale, link].sort());
  assert.deepEqual((await fs.readdir(dir)).sort(), [...kept, 'frames'].sort());
  assert.deepEqual(await fs.readdir(outside), ['precious']);
  assert.deepEqual(await sweepStaleTemps(path.join(dir, 'no-such-folder')), []);
  await fs.rm(dir, { recursive: true });
  await fs.rm(outside, { recursive: true });
});
