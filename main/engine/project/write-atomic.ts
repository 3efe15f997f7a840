import fs from 'node:fs/promises';
import path from 'node:path';
import { FlowGifError, isCancellation } from '../../../shared/errors.js';
import { ownedTempPathBeside, sweepStaleTemps } from './owned-temp.js';

/**
 * The only way the engine writes a user's file: a temporary name in the target's own folder
 * (same file system, so the rename is atomic), flushed, then renamed over the target. A crash,
 * an error or a cancel never leaves a half-written file under the real name, and the
 * temporary name carries this process's id, so the next run removes it after a SIGKILL.
 */
export function temporaryPathFor(target: string): string {
  return ownedTempPathBeside(path.resolve(target), 'partial');
}

/**
 * What a write may replace: an existing file is replaced only when its extension is one of
 * `extensions` (a GIF export never overwrites victim.docx). A new file may have any name.
 */
export interface ReplaceRule {
  /** What is being written, for the message: "a GIF", "a flow model". */
  readonly what: string;
  /** Lower-case, with the dot: ['.gif']. */
  readonly extensions: readonly string[];
}

export async function writeFileAtomic(target: string, data: Uint8Array | string, replaces?: ReplaceRule): Promise<void> {
  await withAtomicTarget(
    target,
    async (temporary) => {
      const handle = await fs.open(temporary, 'w');
      try {
        await handle.writeFile(data);
        await handle.sync();
      } finally {
        await handle.close();
      }
    },
    replaces,
  );
}

/**
 * Runs `produce` with a temporary path beside `target`; renames it into place when produce
 * resolves and deletes it when produce throws (including AbortError). A failure whose cause
 * is the folder itself (it vanished, it turned read-only, the disk filled) is reported as
 * OUTPUT_UNWRITABLE naming the path, whatever tool tripped over it first.
 */
export async function withAtomicTarget<T>(
  target: string,
  produce: (temporaryPath: string) => Promise<T>,
  replaces?: ReplaceRule,
  /** checked: the caller ran assertWritableFolder (or checkEncodeDestination) on target already. */
  options: { readonly checked?: boolean } = {},
): Promise<T> {
  if (options.checked !== true) await assertWritableFolder(target, replaces);
  const temporary = temporaryPathFor(target);
  try {
    const result = await produce(temporary);
    // Checked again: the file may have appeared while produce ran.
    await assertReplaceable(target, replaces);
    await fs.rename(temporary, target);
    return result;
  } catch (error) {
    await fs.rm(temporary, { force: true, recursive: true });
    throw await explainWriteFailure(error, target);
  }
}

/** errno codes that mean "this place does not take the file", with words for the user. */
const refusals: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  ENOTDIR: 'part of the path is not a folder',
  EISDIR: 'it is a folder',
  ENOENT: 'the folder no longer exists',
  EINVAL: 'the file system does not accept this file',
  ENOTSUP: 'the file system does not accept this file',
  EOPNOTSUPP: 'the file system does not accept this file',
  ENAMETOOLONG: 'the name is too long',
  EXDEV: 'the folder moved to another disk',
};

function errnoCode(error: unknown): string | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

/**
 * File-system refusals become a message about the user's path, not an errno dump; a target
 * whose folder no longer takes files is reported as such, whatever error surfaced first.
 */
export async function explainWriteFailure(error: unknown, target: string): Promise<unknown> {
  if (isCancellation(error) || (error instanceof FlowGifError && error.code === 'OUTPUT_UNWRITABLE')) return error;
  // The folder itself first: gifski or sharp failing in a vanished folder says nothing useful.
  try {
    await assertFolderTakesFiles(target);
  } catch (folderError) {
    if (folderError instanceof FlowGifError) return withCause(folderError, error);
    throw folderError;
  }
  const code = errnoCode(error);
  const reason = code === undefined ? undefined : refusals[code];
  if (reason === undefined || error instanceof FlowGifError) return error;
  return new FlowGifError('OUTPUT_UNWRITABLE', `Cannot write ${target}: ${reason} (${code}).`, {
    file: target,
    hint: 'Choose another folder, or free some space.',
    cause: error,
  });
}

function withCause(error: FlowGifError, cause: unknown): FlowGifError {
  return new FlowGifError(error.code, error.message, {
    ...(error.file === undefined ? {} : { file: error.file }),
    ...(error.hint === undefined ? {} : { hint: error.hint }),
    cause,
  });
}

/**
 * Checked before a long job starts, so a bad folder fails in a second, not after minutes, and
 * again before writing: the folder must take a new file, and an existing target must be a
 * file this write may replace. Stale temporary files of dead FlowGIF processes are removed
 * from the folder on the way.
 */
export async function assertWritableFolder(target: string, replaces?: ReplaceRule): Promise<void> {
  await assertFolderTakesFiles(target);
  await sweepStaleTemps(path.dirname(path.resolve(target)));
  await assertReplaceable(target, replaces);
}

/**
 * For real: an empty probe file named for this process is created and removed, since
 * access() says yes on /proc, and to root everywhere.
 */
async function assertFolderTakesFiles(target: string): Promise<void> {
  const dir = path.dirname(path.resolve(target));
  const refuse = (why: string, hint: string | undefined, cause: unknown): FlowGifError =>
    new FlowGifError('OUTPUT_UNWRITABLE', `Cannot write ${target}: ${why}.`, {
      file: target,
      ...(hint === undefined ? {} : { hint }),
      ...(cause === undefined ? {} : { cause }),
    });
  let stats;
  try {
    stats = await fs.stat(dir);
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') throw refuse(`the folder ${dir} does not exist`, 'Create the folder or choose another output path.', error);
    throw refuse(`the folder ${dir} cannot be read (${code ?? 'unknown error'})`, 'Choose a folder you can write to.', error);
  }
  if (!stats.isDirectory()) throw refuse(`${dir} is not a folder`, undefined, undefined);
  const probe = ownedTempPathBeside(path.join(dir, 'probe'), 'probe');
  try {
    await (await fs.open(probe, 'wx')).close();
  } catch (error) {
    const code = errnoCode(error);
    const why =
      code === 'EACCES' || code === 'EPERM'
        ? 'is not writable'
        : code === 'EROFS'
          ? 'is on a read-only file system'
          : code === 'ENOSPC' || code === 'EDQUOT'
            ? 'is on a full disk'
            : `does not accept new files (${code ?? 'unknown error'})`;
    throw refuse(`the folder ${dir} ${why}`, 'Choose a folder you can write to.', error);
  }
  await fs.rm(probe, { force: true });
}

async function assertReplaceable(target: string, replaces: ReplaceRule | undefined): Promise<void> {
  let existing;
  try {
    existing = await fs.stat(target);
  } catch {
    return;
  }
  if (existing.isDirectory()) {
    throw new FlowGifError('OUTPUT_UNWRITABLE', `Cannot write ${target}: it is a folder.`, { file: target });
  }
  if (replaces === undefined) return;
  const ext = path.extname(target).toLowerCase();
  if (!replaces.extensions.includes(ext)) {
    throw new FlowGifError(
      'OUTPUT_UNWRITABLE',
      `Cannot write ${replaces.what} to ${target}: a file of that name exists and is not ${replaces.what} (${ext === '' ? 'no extension' : ext}).`,
      { file: target, hint: `FlowGIF replaces only ${replaces.extensions.join(' or ')} files; choose another name.` },
    );
  }
}
