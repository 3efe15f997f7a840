import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/**
 * Every temporary file or folder the engine makes carries the id of the process that owns it,
 * so that after a SIGKILL or a crash the next run can tell its debris from another live
 * FlowGIF's work and remove it: `<prefix><pid>-<random><suffix>`.
 */
export function ownedTempName(prefix: string, suffix = ''): string {
  return `${prefix}${process.pid}-${randomBytes(4).toString('hex')}${suffix}`;
}

/** The names ownedTempName gives, and the pid inside: frames, partials, ORT and estimate folders. */
const ownedPatterns: readonly RegExp[] = [
  /^\.flowgif-frames-(\d+)-[0-9a-f]{8}$/,
  /^\..+\.(\d+)-[0-9a-f]{8}\.partial$/,
  /^\.flowgif-probe-(\d+)-[0-9a-f]{8}$/,
  /^flowgif-(?:ort|estimate)-(\d+)-[0-9a-f]{8}$/,
];

export function ownerPid(name: string): number | undefined {
  for (const pattern of ownedPatterns) {
    const match = pattern.exec(name);
    if (match !== null) return Number(match[1]);
  }
  return undefined;
}

/** ESRCH: no such process. EPERM: it exists but belongs to someone else, so it is alive. */
export function isProcessAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: unknown }).code === 'EPERM';
  }
}

/**
 * Removes what dead FlowGIF processes left in `folder` (the system temp folder at start-up, an
 * output folder before writing there) and returns the paths removed. Best effort: a folder
 * that cannot be listed, or an entry that cannot be removed, is the next write's to report.
 */
export async function sweepStaleTemps(folder: string): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.readdir(folder);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const pid = ownerPid(name);
    if (pid === undefined || isProcessAlive(pid)) continue;
    const stale = path.join(folder, name);
    try {
      await fs.rm(stale, { recursive: true, force: true });
      removed.push(stale);
    } catch {
      // Left for a later sweep.
    }
  }
  return removed;
}

/** At start-up: the system temp folder (estimates, ORT's folder) and any temp folder of the host's own. */
export async function sweepSystemTemps(extraFolders: readonly string[] = []): Promise<string[]> {
  const folders = [...new Set([os.tmpdir(), ...extraFolders].map((folder) => path.resolve(folder)))];
  return (await Promise.all(folders.map((folder) => sweepStaleTemps(folder)))).flat();
}
