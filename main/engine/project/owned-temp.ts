import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Every temporary file or folder the engine makes carries its owner in its name, so a later
 * run can tell debris of a killed process (SIGKILL, a crash, a power cut: no `finally` ran)
 * from the work of a process still running, and remove only the former:
 *
 *   [.][TARGET.]flowgif-KIND-PID-HOST-RANDOM
 *
 * PID is the owning process, HOST four hex digits of a hash of the machine's name (a folder
 * on a network share may hold temps of another machine's processes, whose pids mean nothing
 * here: those are never judged), RANDOM keeps two temps of one process apart.
 */
export const ownedTempKinds = [
  /** A file (or PNG folder) being written beside its target, renamed over it when done. */
  'partial',
  /** A previous PNG export moved aside while the new one takes its name. */
  'old',
  /** The PNG frames gifski reads, beside the GIF being written. */
  'frames',
  /** Size-estimate encodes, in the system temp folder. */
  'estimate',
  /** onnxruntime's own temp files (TMPDIR while sessions are created). */
  'ort',
  /** The empty file that proves a folder accepts new files. */
  'probe',
  /** A host's working folder for one run (the app's or the web host's): trained models, ORT's files. */
  'session',
] as const;

export type OwnedTempKind = (typeof ownedTempKinds)[number];

export interface OwnedTempName {
  readonly kind: OwnedTempKind;
  readonly pid: number;
  readonly host: string;
  /** The target's name for temps written beside a target (`.out.gif.flowgif-partial-…`). */
  readonly target: string | undefined;
}

export const hostTag = createHash('sha256').update(os.hostname()).digest('hex').slice(0, 4);

const namePattern = new RegExp(`^(\\.?)(?:(.+)\\.)?flowgif-(${ownedTempKinds.join('|')})-([1-9]\\d{0,9})-([0-9a-f]{4})-[0-9a-f]{8}$`);

/**
 * A fresh name owned by this process. With `target` the name is hidden and starts with the
 * target's own name, so a user listing the folder sees what it belongs to.
 */
export function ownedTempName(kind: OwnedTempKind, options: { target?: string; hidden?: boolean } = {}): string {
  const owner = `flowgif-${kind}-${process.pid}-${hostTag}-${randomBytes(4).toString('hex')}`;
  if (options.target !== undefined) return `.${path.basename(options.target)}.${owner}`;
  return options.hidden === true ? `.${owner}` : owner;
}

/** A temporary path beside `target`, in the same folder (same file system: rename is atomic). */
export function ownedTempPathBeside(target: string, kind: OwnedTempKind): string {
  return path.join(path.dirname(target), ownedTempName(kind, { target }));
}

export function parseOwnedTempName(name: string): OwnedTempName | undefined {
  const match = namePattern.exec(name);
  if (match === null) return undefined;
  const [, dot, target, kind, pid, host] = match;
  // A target-tagged name is always hidden; without the dot it is someone else's file.
  if (target !== undefined && dot !== '.') return undefined;
  return { kind: kind as OwnedTempKind, pid: Number(pid), host: host!, target };
}

/** Signal 0 tests for existence: ESRCH means gone, EPERM means alive but someone else's. */
export function isProcessAlive(pid: number): boolean {
  // pid 0 and negative pids address process groups; never ask about those.
  if (!Number.isInteger(pid) || pid < 1) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: unknown }).code !== 'ESRCH';
  }
}

/** Makes a folder (mode 0700, as mkdtemp does) under `parent` owned by this process. */
export async function makeOwnedTempDir(parent: string, kind: OwnedTempKind, options: { hidden?: boolean } = {}): Promise<string> {
  const dir = path.join(parent, ownedTempName(kind, options));
  await fs.promises.mkdir(dir, { mode: 0o700 });
  return dir;
}

export function makeOwnedTempDirSync(parent: string, kind: OwnedTempKind): string {
  const dir = path.join(parent, ownedTempName(kind));
  fs.mkdirSync(dir, { mode: 0o700 });
  return dir;
}

/**
 * Removes from `folder` (not below it) the temps whose owner on this machine has ended, and
 * returns their names. A previous PNG export that a killed process had moved aside goes back
 * to its name when no new one took it. Best effort: a folder that cannot be listed, or an
 * entry that cannot be removed, is left as it is, so a sweep never fails the job that runs it.
 */
export async function sweepStaleTemps(folder: string): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.promises.readdir(folder);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const owned = parseOwnedTempName(name);
    if (owned === undefined || owned.host !== hostTag || isProcessAlive(owned.pid)) continue;
    const entry = path.join(folder, name);
    try {
      if (owned.kind === 'old' && owned.target !== undefined && (await restoreAside(entry, path.join(folder, owned.target)))) continue;
      // rm never follows a symbolic link: a link with our name is removed, not what it points to.
      await fs.promises.rm(entry, { recursive: true, force: true });
      removed.push(name);
    } catch {
      // Someone else's permissions, or gone already: nothing to do.
    }
  }
  return removed;
}

async function restoreAside(aside: string, target: string): Promise<boolean> {
  try {
    await fs.promises.lstat(target);
    return false;
  } catch {
    await fs.promises.rename(aside, target);
    return true;
  }
}

let startupSweep: Promise<void> | undefined;

/**
 * Once per process, when a host starts the engine: the system temp folder (and any app temp
 * folders the host names) lose what killed FlowGIF processes left there. Output folders are
 * swept separately, each time the engine is about to write into one.
 */
export function sweepTempFoldersAtStartup(extraFolders: readonly string[] = []): Promise<void> {
  startupSweep ??= (async () => {
    const folders = new Set([os.tmpdir(), ...extraFolders].map((folder) => path.resolve(folder)));
    for (const folder of folders) await sweepStaleTemps(folder);
  })();
  return startupSweep;
}
