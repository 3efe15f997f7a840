import fs from 'node:fs/promises';
import path from 'node:path';
import { FlowGifError } from '../../../shared/errors.js';
import type { JobContext } from '../../../shared/job.js';
import { assertWritableFolder, temporaryPathFor } from '../project/write-atomic.js';
import type { FrameSource } from './frame-source.js';
import { frameFilePattern, writePngFrames } from './png-frames.js';
import { createProgressMeter } from './progress-meter.js';

type FolderState = 'absent' | 'replaceable';

/**
 * A sequence goes to a folder: refused when it is a file or holds anything but frame-NNNN.png
 * files (a user pointing -o at their Documents must not lose them); an earlier export's frames
 * may be replaced whole.
 */
export async function checkSequenceFolder(dir: string): Promise<FolderState> {
  const target = path.resolve(dir);
  // The temporary sibling is what gets created first, so its parent must be writable.
  await assertWritableFolder(temporaryPathFor(target));
  let entries: string[];
  try {
    const stats = await fs.stat(target);
    if (!stats.isDirectory()) {
      throw new FlowGifError('OUTPUT_UNWRITABLE', `Cannot write a PNG sequence to ${dir}: it is a file, not a folder.`, {
        file: dir,
        hint: 'Name a new or empty folder for the frames.',
      });
    }
    entries = await fs.readdir(target);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return 'absent';
    throw error;
  }
  const foreign = entries.filter((name) => !frameFilePattern.test(name));
  if (foreign.length > 0) {
    const shown = foreign.slice(0, 3).join(', ') + (foreign.length > 3 ? ', …' : '');
    throw new FlowGifError(
      'OUTPUT_UNWRITABLE',
      `Cannot write a PNG sequence to ${dir}: the folder already holds other files (${shown}).`,
      { file: dir, hint: 'Name a new or empty folder; FlowGIF only replaces a folder of its own frame-NNNN.png files.' },
    );
  }
  return 'replaceable';
}

/**
 * Frames are written into a hidden sibling folder and renamed into place when all are done,
 * so the folder never holds half a sequence or a mix of two exports.
 */
export async function encodePngSequence(frames: FrameSource, dir: string, ctx: JobContext): Promise<void> {
  const target = path.resolve(dir);
  const state = await checkSequenceFolder(target);
  const temporary = temporaryPathFor(target);
  const meter = createProgressMeter(ctx, frames.count);
  meter.report(0);
  try {
    await fs.mkdir(temporary);
    await writePngFrames(frames, temporary, { compressionLevel: 6, onWritten: (n) => meter.report(n) }, ctx.signal);
    if (state === 'replaceable') {
      // Move the old export aside first: rename cannot replace a non-empty folder.
      const old = temporaryPathFor(target);
      await fs.rename(target, old);
      try {
        await fs.rename(temporary, target);
      } catch (error) {
        await fs.rename(old, target);
        throw error;
      }
      await fs.rm(old, { recursive: true, force: true });
    } else {
      await fs.rename(temporary, target);
    }
  } catch (error) {
    await fs.rm(temporary, { recursive: true, force: true });
    throw error;
  }
  meter.report(frames.count, await folderBytes(target));
}

export async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const name of await fs.readdir(dir)) total += (await fs.stat(path.join(dir, name))).size;
  return total;
}
