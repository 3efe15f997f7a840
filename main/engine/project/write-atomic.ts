import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { FlowGifError } from '../../../shared/errors.js';

/**
 * The only way the engine writes a user's file: a temporary name in the target's own folder
 * (same file system, so the rename is atomic), flushed, then renamed over the target. A crash,
 * an error or a cancel never leaves a half-written file under the real name.
 */
export function temporaryPathFor(target: string): string {
  const dir = path.dirname(target);
  return path.join(dir, `.${path.basename(target)}.${randomBytes(4).toString('hex')}.partial`);
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

const unwritableCodes = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT', 'ENOTDIR', 'EISDIR']);

/** File-system refusals become a message about the user's path, not an errno dump. */
function asWriteError(error: unknown, target: string): unknown {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  if (typeof code === 'string' && unwritableCodes.has(code)) {
    const reason = code === 'ENOSPC' || code === 'EDQUOT' ? 'the disk is full' : `the system refused (${code})`;
    return new FlowGifError('OUTPUT_UNWRITABLE', `Cannot write ${target}: ${reason}.`, {
      file: target,
      hint: 'Choose another folder or free some space.',
      cause: error,
    });
  }
  return error;
}

/** Checked before a long job starts, so a bad folder fails in a second, not after minutes. */
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
  try {
    await fs.access(dir, constants.W_OK);
  } catch {
    throw new FlowGifError('OUTPUT_UNWRITABLE', `Cannot write ${target}: the folder ${dir} is not writable.`, {
      file: target,
      hint: 'Choose a folder you can write to.',
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
