import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import { FlowGifError, type ErrorCode } from '../../../shared/errors.js';
import { formatBytes } from '../../../shared/format-bytes.js';

/**
 * Caps per kind of input, read before anything is decoded. Images: a 16 384² PNG of real
 * content is far below this; models: the largest grid (4096², float32 + RGBA) plus weights,
 * compressed, is under 200 MB; projects are a few kilobytes of JSON.
 */
export const MAX_IMAGE_FILE_BYTES = 256 * 1024 * 1024;
export const MAX_FLOW_FILE_BYTES = 256 * 1024 * 1024;
export const MAX_PROJECT_FILE_BYTES = 1024 * 1024;

export interface ReadRegularFileOptions {
  /** What the file is meant to be, with its article, as messages say it: "an image file". */
  readonly what: string;
  readonly maxBytes: number;
  /** Codes for the user's view of the problem: it does not exist / is not a file of this kind / is too large. */
  readonly codes: { readonly notFound: ErrorCode; readonly notRegular: ErrorCode; readonly tooLarge: ErrorCode };
  readonly hint?: string;
  readonly signal?: AbortSignal;
}

/**
 * Reads a whole file only if it is a regular file of at most maxBytes. A FIFO or device is
 * refused from its stat, without opening it: opening a FIFO blocks a libuv thread until a
 * writer appears, and /dev/zero never ends. The handle is opened non-blocking and checked
 * again (the path may have been swapped between stat and open), and at most maxBytes + 1
 * bytes are read, so a file that grows while read is refused too.
 */
export async function readRegularFile(file: string, options: ReadRegularFileOptions): Promise<Buffer> {
  const { what, maxBytes, codes } = options;
  const hint = options.hint === undefined ? {} : { hint: options.hint };
  const notRegular = (kind: string): FlowGifError =>
    new FlowGifError(codes.notRegular, `${file} is ${kind}, not ${what}.`, { file, ...hint });
  const tooLarge = (): FlowGifError =>
    new FlowGifError(codes.tooLarge, `${file} is too large: ${what} is limited to ${formatBytes(maxBytes)}.`, { file, ...hint });
  const cannotRead = (error: unknown): FlowGifError => {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      return new FlowGifError(codes.notFound, `${file} does not exist.`, {
        file,
        hint: 'Check the path; relative paths start from the current folder.',
      });
    }
    if (code === 'EACCES' || code === 'EPERM') return new FlowGifError(codes.notFound, `${file} cannot be read: permission denied.`, { file });
    return new FlowGifError(codes.notFound, `${file} cannot be read (${code ?? 'read error'}).`, { file });
  };

  let stats;
  try {
    stats = await fs.stat(file);
  } catch (error) {
    throw cannotRead(error);
  }
  if (!stats.isFile()) throw notRegular(describeKind(stats));
  if (stats.size > maxBytes) throw tooLarge();
  options.signal?.throwIfAborted();

  let handle;
  try {
    handle = await fs.open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw cannotRead(error);
  }
  try {
    const opened = await handle.stat();
    if (!opened.isFile()) throw notRegular(describeKind(opened));
    if (opened.size > maxBytes) throw tooLarge();
    // Sized from what fstat says, grown only up to the cap: /proc files report 0 yet have content.
    let buffer = Buffer.allocUnsafe(Math.min(maxBytes + 1, Math.max(opened.size + 1, 64 * 1024)));
    let length = 0;
    for (;;) {
      options.signal?.throwIfAborted();
      if (length === buffer.length) {
        if (buffer.length > maxBytes) throw tooLarge();
        const grown = Buffer.allocUnsafe(Math.min(maxBytes + 1, buffer.length * 2));
        buffer.copy(grown, 0, 0, length);
        buffer = grown;
      }
      let bytesRead: number;
      try {
        ({ bytesRead } = await handle.read(buffer, length, buffer.length - length, null));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EISDIR') throw notRegular('a folder');
        throw cannotRead(error);
      }
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > maxBytes) throw tooLarge();
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}

function describeKind(stats: import('node:fs').Stats): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a pipe (FIFO)';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isSocket()) return 'a socket';
  return 'a special file';
}
