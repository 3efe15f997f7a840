import fs from 'node:fs/promises';
import path from 'node:path';
import { FlowGifError } from '../../shared/errors.js';

/**
 * One name per place on disk, for telling that two exports aim at the same file: the folder
 * resolved through its links, and case folded where the platform's file systems ignore case.
 * A folder that does not exist is taken as written (nothing can be written there anyway).
 */
export async function targetKey(target: string): Promise<string> {
  const resolved = path.resolve(target);
  const folder = await fs.realpath(path.dirname(resolved)).catch(() => path.dirname(resolved));
  const key = path.join(folder, path.basename(resolved));
  return process.platform === 'win32' || process.platform === 'darwin' ? key.toLowerCase() : key;
}

/**
 * The files among `targets` that a write would replace. A folder of PNG frames counts once it
 * holds anything: an empty folder loses nothing.
 */
export async function existingTargets(targets: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const target of targets) {
    let stats;
    try {
      stats = await fs.lstat(target);
    } catch {
      continue;
    }
    if (stats.isDirectory() && (await fs.readdir(target)).length === 0) continue;
    found.push(target);
  }
  return found;
}

/**
 * The UI asks before anything is replaced: a request without the user's consent that would
 * replace `existing` files is refused, naming them (the first is the one the user named).
 */
export function refuseReplacing(existing: readonly string[]): void {
  const [first] = existing;
  if (first === undefined) return;
  const names = existing.length === 1 ? first : `${existing.slice(0, -1).join(', ')} and ${existing.at(-1)!}`;
  throw new FlowGifError('OUTPUT_EXISTS', `${names} already exist${existing.length === 1 ? 's' : ''}.`, {
    file: first,
    hint: 'Confirm replacing it, or choose another name.',
  });
}
