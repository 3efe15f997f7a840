import path from 'node:path';
import { contentSecurityPolicy, mimeTypeOf } from '../hosting/renderer-assets.js';

/**
 * The renderer is served from app://flowgif/ rather than file://, so it gets a real origin
 * (CSP 'self', fetch, same-origin checks) and cannot read any file but the built UI.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'flowgif';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** Electron's UI connects to nothing: the engine is reached over IPC. */
export const CONTENT_SECURITY_POLICY = contentSecurityPolicy();

export { mimeTypeOf };

export type AppAsset =
  | { readonly ok: true; readonly file: string; readonly mimeType: string }
  | { readonly ok: false; readonly status: 400 | 403 | 404; readonly reason: string };

/**
 * Maps an app:// URL to a file inside rootDir. Pure (no file system), so the refusal rules are
 * testable: wrong scheme or host, encoded separators or NULs, any path that resolves outside
 * rootDir, and unknown file types are all refused.
 */
export function resolveAppAsset(rootDir: string, requestUrl: string): AppAsset {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return { ok: false, status: 400, reason: 'malformed URL' };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) {
    return { ok: false, status: 403, reason: `not ${APP_ORIGIN}` };
  }
  // The URL parser folds literal ../ already; %2e%2e and %2f only appear after decoding.
  const rawPath = url.pathname;
  if (/%2f|%5c|%00/i.test(rawPath)) return { ok: false, status: 400, reason: 'encoded separator' };
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return { ok: false, status: 400, reason: 'malformed escape' };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { ok: false, status: 400, reason: 'forbidden character' };
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const segments = relative.split('/');
  if (segments.some((segment) => segment === '..' || segment === '.')) {
    return { ok: false, status: 403, reason: 'path traversal' };
  }
  const root = path.resolve(rootDir);
  const file = path.resolve(root, ...segments);
  if (!isInside(root, file)) return { ok: false, status: 403, reason: 'outside the UI folder' };
  const mimeType = mimeTypeOf(file);
  if (mimeType === undefined) return { ok: false, status: 404, reason: 'unknown file type' };
  return { ok: true, file, mimeType };
}

/** True when child is root itself or below it; path.relative handles case and separators per platform. */
export function isInside(root: string, child: string): boolean {
  const relative = path.relative(root, child);
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}

/** Headers for every asset; the CSP rides on every response so no page can drop it. */
export function assetHeaders(mimeType: string): Record<string, string> {
  return {
    'Content-Type': mimeType,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cache-Control': 'no-cache',
  };
}
