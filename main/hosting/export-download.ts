import path from 'node:path';
import type { ExportFormat } from '../../shared/export-formats.js';

/** What a browser is told each single-file export is; PNG frames are a folder and are not served. */
export const exportMimeTypes: Readonly<Record<Exclude<ExportFormat, 'png'>, string>> = {
  gif: 'image/gif',
  mp4: 'video/mp4',
  webm: 'video/webm',
  mov: 'video/quicktime',
  webp: 'image/webp',
  apng: 'image/apng',
};

export function isDownloadable(format: ExportFormat): format is Exclude<ExportFormat, 'png'> {
  return format !== 'png';
}

/**
 * An attachment named as the file is: a plain ASCII fallback (quotes, backslashes and controls
 * replaced) for old readers, and the exact name in RFC 5987's filename* for the rest.
 */
export function contentDisposition(file: string): string {
  const name = path.basename(file);
  const fallback = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}
