import fs from 'node:fs/promises';
import path from 'node:path';
import { FlowGifError } from '../../../shared/errors.js';
import type { JobContext } from '../../../shared/job.js';
import { ownedTempPathBeside } from '../project/owned-temp.js';
import { assertWritableFolder, explainWriteFailure, temporaryPathFor } from '../project/write-atomic.js';
import type { FrameSource } from './frame-source.js';
import { frameFilePattern, writePngFrames } from './png-frames.js';
import { createProgressMeter } from './progress-meter.js';

/**
 * Written with every sequence: it is how a later export knows the folder is a FlowGIF export
 * it may replace. Frame files alone prove nothing (ffmpeg and every editor name them so too).
 */
export const sequenceMarkerName = '.flowgif-export.json';

/** What operating systems drop into folders a user opens; they make no folder anyone's. */
const litter = new Set(['.DS_Store', 'Thumbs.db', 'desktop.ini']);

type FolderState = 'absent' | 'empty' | 'previous-export';

/**
 * A sequence goes to a folder that is new, empty, or an earlier FlowGIF export (its marker and
 * frame-NNNN.png files only); anything else is refused, naming the folder (a user pointing -o
 * at their Documents must not lose them). Also checks that the parent folder takes new files.
 */
export async function checkSequenceFolder(dir: string): Promise<FolderState> {
  const target = path.resolve(dir);
  // The temporary sibling is what gets created first, so its parent must be writable.
  await assertWritableFolder(temporaryPathFor(target));
  let entries: string[];
  try {
    const stats = await fs.stat(target);
    if (!stats.isDirectory()) {
      throw new FlowGifError('OUTPUT_UNWRITABLE', `Cannot write PNG frames to ${dir}: it is a file, not a folder.`, {
        file: dir,
        hint: 'Name a new or empty folder for the frames.',
      });
    }
    entries = (await fs.readdir(target)).filter((name) => !litter.has(name));
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return 'absent';
    throw error;
  }
  if (entries.length === 0) return 'empty';
  const hint = 'Name a new or empty folder: FlowGIF replaces only an empty folder or one of its own PNG exports.';
  const foreign = entries.filter((name) => name !== sequenceMarkerName && !frameFilePattern.test(name));
  if (foreign.length > 0) {
    const shown = foreign.slice(0, 3).join(', ') + (foreign.length > 3 ? ', …' : '');
    throw new FlowGifError('OUTPUT_UNWRITABLE', `Cannot write PNG frames to ${dir}: the folder already holds other files (${shown}).`, {
      file: dir,
      hint,
    });
  }
  if (!entries.includes(sequenceMarkerName)) {
    throw new FlowGifError('OUTPUT_UNWRITABLE', `Cannot write PNG frames to ${dir}: the folder holds frames that FlowGIF did not write.`, {
      file: dir,
      hint,
    });
  }
  return 'previous-export';
}

/**
 * Frames are written into a hidden sibling folder and swapped into place when all are done,
 * so the folder never holds half a sequence or a mix of two exports. The swap moves the old
 * folder aside under a name owned by this process: if the process dies between the two
 * renames, the next sweep of the parent puts the old export back.
 */
export async function encodePngSequence(frames: FrameSource, dir: string, ctx: JobContext): Promise<void> {
  const target = path.resolve(dir);
  // encodeAnimation checked the folder before any frame was drawn (checkEncodeDestination).
  const temporary = temporaryPathFor(target);
  const meter = createProgressMeter(ctx, frames.count);
  meter.report(0);
  try {
    await fs.mkdir(temporary);
    await writePngFrames(frames, temporary, { compressionLevel: 6, onWritten: (n) => meter.report(n) }, ctx.signal);
    const marker = { writer: 'FlowGIF', frames: frames.count, width: frames.width, height: frames.height, fps: frames.fps };
    await fs.writeFile(path.join(temporary, sequenceMarkerName), `${JSON.stringify(marker)}\n`);
    // Checked again: the folder may have been made, or filled, while the frames were rendered.
    if ((await checkSequenceFolder(target)) === 'absent') {
      await fs.rename(temporary, target);
    } else {
      // rename cannot replace a non-empty folder (nor any folder on Windows): move it aside first.
      const old = ownedTempPathBeside(target, 'old');
      await fs.rename(target, old);
      try {
        await fs.rename(temporary, target);
      } catch (error) {
        await fs.rename(old, target);
        throw error;
      }
      await fs.rm(old, { recursive: true, force: true });
    }
  } catch (error) {
    await fs.rm(temporary, { recursive: true, force: true });
    throw await explainWriteFailure(error, target);
  }
  meter.report(frames.count, await folderBytes(target));
}

/** The sum of the frame files (the marker is not part of what the user asked for). */
export async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const name of await fs.readdir(dir)) {
    if (frameFilePattern.test(name)) total += (await fs.stat(path.join(dir, name))).size;
  }
  return total;
}
