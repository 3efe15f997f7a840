import fs from 'node:fs/promises';
import path from 'node:path';
import { mimeTypeOf } from './renderer-assets.js';

/** A file of the built UI, or why a URL path names none. */
export type AssetLookup =
  | { readonly kind: 'file'; readonly file: string; readonly type: string }
  /** The path tries to leave the folder or hides something: a 403. */
  | { readonly kind: 'refused'; readonly reason: string }
  /** Nothing servable there: a 404. */
  | { readonly kind: 'missing'; readonly reason: string };

export interface AssetLookupOptions {
  /**
   * The folder is inside an archive (Electron's app.asar): it holds no links to follow out, and
   * realpath's asar support is not something to bet the UI on, so links are not resolved.
   */
  readonly inArchive?: boolean;
}

/**
 * The one set of rules both hosts of the built UI (Electron's app:// and the web host) serve
 * by. A URL path (still percent-encoded, as it arrived) names a file under rootDir only if:
 * it decodes; it has no encoded separator or NUL (%2f, %5c, %00) and, decoded, no NUL or
 * backslash; no segment starts with a dot (.., .git, .env: a vite build has none); it lands
 * strictly inside rootDir, also after following links; it is a regular file; and its type is
 * one a vite build produces. The empty path is index.html.
 */
export async function lookUpAsset(rootDir: string, urlPath: string, options: AssetLookupOptions = {}): Promise<AssetLookup> {
  if (/%2f|%5c|%00/i.test(urlPath)) return { kind: 'refused', reason: 'encoded separator' };
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { kind: 'refused', reason: 'malformed escape' };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { kind: 'refused', reason: 'forbidden character' };
  const segments = decoded.split('/').filter((segment) => segment !== '');
  if (segments.some((segment) => segment.startsWith('.'))) return { kind: 'refused', reason: 'dot segment' };
  if (segments.length === 0) segments.push('index.html');
  const root = path.resolve(rootDir);
  const candidate = path.join(root, ...segments);
  if (!isStrictlyInside(root, candidate)) return { kind: 'refused', reason: 'outside the UI folder' };
  let file = candidate;
  try {
    if (options.inArchive !== true) {
      const [realRoot, real] = await Promise.all([fs.realpath(root), fs.realpath(candidate)]);
      if (!isStrictlyInside(realRoot, real)) return { kind: 'refused', reason: 'a link out of the UI folder' };
      file = real;
    }
    if (!(await fs.stat(file)).isFile()) return { kind: 'missing', reason: 'not a file' };
  } catch {
    return { kind: 'missing', reason: 'not found' };
  }
  const type = mimeTypeOf(file);
  return type === undefined ? { kind: 'missing', reason: 'unknown file type' } : { kind: 'file', file, type };
}

/** True when file is below root (not root itself); path.relative handles case and separators per platform. */
export function isStrictlyInside(root: string, file: string): boolean {
  const relative = path.relative(root, file);
  return relative !== '' && relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}
