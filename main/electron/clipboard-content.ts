import { pathToFileURL } from 'node:url';
import type { CopiedPart, ExportFormat } from '../../shared/ipc/contract.js';

/** A platform's own clipboard format, as Electron's ClipboardItem names it. */
const raw = (name: string): string => `electron application/osclipboard;format="${name}"`;

/** Where each platform keeps a copied file's reference and a GIF's bytes (none: the platform has no named format for it). */
const platformFormats: Readonly<Record<string, { fileRef?: (url: string) => Record<string, string>; gif?: string }>> = {
  darwin: { fileRef: (url) => ({ [raw('public.file-url')]: url }), gif: raw('com.compuserve.gif') },
  // GTK file managers paste x-special/gnome-copied-files; other apps read text/uri-list.
  linux: { fileRef: (url) => ({ [raw('text/uri-list')]: `${url}\r\n`, [raw('x-special/gnome-copied-files')]: `copy\n${url}` }), gif: raw('image/gif') },
  // Explorer pastes files only from CF_HDROP, which has no name to write; "GIF" is the registered format Office and browsers read.
  win32: { gif: raw('GIF') },
};

/**
 * What "Copy" puts on the clipboard for an exported file, as one ClipboardItem's MIME entries
 * (one write, since each write replaces the clipboard): the path as text everywhere; the file
 * itself where the platform has a named format for a file reference (macOS, Linux); the
 * picture for an APNG (a PNG to every reader: its first frame, or all of it where APNG is
 * known) and a GIF (its own bytes under the platform's GIF format). Videos and PNG-frame
 * folders copy as path and file. Pure, so it is tested without Electron.
 */
export function clipboardContent(
  file: string,
  format: ExportFormat,
  platform: string,
  bytes: Uint8Array | undefined,
): { readonly entries: Readonly<Record<string, string | Uint8Array>>; readonly copied: readonly CopiedPart[] } {
  const formats = platformFormats[platform] ?? {};
  const entries: Record<string, string | Uint8Array> = { 'text/plain': file };
  const copied: CopiedPart[] = ['path'];
  if (formats.fileRef !== undefined) {
    Object.assign(entries, formats.fileRef(pathToFileURL(file).href));
    copied.push('file');
  }
  if (bytes !== undefined && format === 'apng') entries['image/png'] = bytes;
  if (bytes !== undefined && format === 'gif' && formats.gif !== undefined) entries[formats.gif] = bytes;
  if (entries['image/png'] !== undefined || (formats.gif !== undefined && entries[formats.gif] !== undefined)) copied.push('image');
  return { entries, copied };
}

/** A picture copied as bytes is read whole; beyond this the clipboard gets the path and file only. */
export const MAX_CLIPBOARD_IMAGE_BYTES = 64 * 1024 * 1024;

/** Whether clipboardContent would take the file's bytes: worth reading it first. */
export function wantsBytes(format: ExportFormat, platform: string): boolean {
  return format === 'apng' || (format === 'gif' && platformFormats[platform]?.gif !== undefined);
}
