import fs from 'node:fs/promises';
import path from 'node:path';
import { FlowGifError } from '../../../shared/errors.js';
import { ownedTempName, sweepStaleTemps } from './owned-temp.js';

/**
 * The only way the engine writes a user's file: a temporary name in the target's own folder
 * (same file system, so the rename is atomic), flushed, then renamed over the target. A crash,
 * an error or a cancel never leaves a half-written file under the real name.
 */
export function temporaryPathFor(target: string): string {
  return path.join(path.dirname(target), ownedTempName(`.${path.basename(target)}.`, '.partial'));
}

export async function writeFileAtomic(target: string, data: Uint8Array | string): Promise<void> {
  await withAtomicTarget(target, async (temporary) => {
    const handle = await fs.open(temporary, 'w');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
  });
}

/**
 * Runs `produce` with a temporary path beside `target`; renames it into place when produce
 * resolves and deletes it when produce throws (including AbortError).
 */
export async function withAtomicTarget<T>(target: string, produce: (temporaryPath: string) => Promise<T>): Promise<T> {
  await assertWritableFolder(target);
  // What a killed run left here goes before this run adds its own.
  await sweepStaleTemps(path.dirname(path.resolve(target)));
  const temporary = temporaryPathFor(target);
  try {
    const result = await produce(temporary);
    await fs.rename(temporary, target);
    return result;
  } catch (error) {
    await fs.rm(temporary, { force: true, recursive: true });
    throw asWriteError(error, target);
  }
}

const unwritableCodes = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT', 'ENOTDIR', 'EISDIR', 'ENOENT', 'EINVAL', 'EXDEV', 'EIO', 'ENAMETOOLONG']);

/** File-system refusals become a message about the user's path, not an errno dump. */
export function asWriteError(error: unknown, target: string): unknown {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  if (typeof code !== 'string' || !unwritableCodes.has(code)) return error;
  const dir = path.dirname(path.resolve(target));
  const reason =
    code === 'ENOSPC' || code === 'EDQUOT'
      ? 'the disk is full'
      : code === 'ENOENT'
        ? `the folder ${dir} no longer exists`
        : code === 'EINVAL' || code === 'EXDEV' || code === 'EIO'
          ? `${dir} does not hold ordinary files (${code})`
          : `the system refused (${code})`;
  return new FlowGifError('OUTPUT_UNWRITABLE', `Cannot write ${target}: ${reason}.`, {
    file: target,
    hint: code === 'ENOENT' ? 'Create the folder again or choose another one.' : 'Choose another folder or free some space.',
    cause: error,
  });
}

/**
 * Checked before a long job starts, so a bad folder fails in a second, not after minutes. A
 * probe file is really created and removed: access() says yes to root on /proc and to
 * read-only mounts that refuse the write later.
 */
export async function assertWritableFolder(target: string): Promise<void> {
  const dir = path.dirname(path.resolve(target));
  let stats;
  try {
    stats = await fs.stat(dir);
  } catch {
    throw new FlowGifError('OUTPUT_UNWRITABLE', `Cannot write ${target}: the folder ${dir} does not exist.`, {
      file: target,
      hint: 'Create the folder or choose another output path.',
    });
  }
  if (!stats.isDirectory()) {
    throw new FlowGifError('OUTPUT_UNWRITABLE', `Cannot write ${target}: ${dir} is not a folder.`, { file: target });
  }
  const probe = path.join(dir, ownedTempName('.flowgif-probe-'));
  try {
    const handle = await fs.open(probe, 'wx');
    await handle.close();
    await fs.rm(probe, { force: true });
  } catch (error) {
    await fs.rm(probe, { force: true }).catch(() => {});
    throw new FlowGifError('OUTPUT_UNWRITABLE', `Cannot write ${target}: the folder ${dir} does not accept new files.`, {
      file: target,
      hint: 'Choose a folder you can write to.',
      cause: error,
    });
  }
  try {
    const existing = await fs.stat(target);
    if (existing.isDirectory()) {
      throw new FlowGifError('OUTPUT_UNWRITABLE', `Cannot write ${target}: it is a folder.`, { file: target });
    }
  } catch (error) {
    if (error instanceof FlowGifError) throw error;
  }
}
