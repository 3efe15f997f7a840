import { contentSecurityPolicy } from '../hosting/renderer-assets.js';
import { lookUpAsset, type AssetLookupOptions } from '../hosting/static-assets.js';

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

export type AppAsset =
  | { readonly ok: true; readonly file: string; readonly mimeType: string }
  | { readonly ok: false; readonly status: 400 | 403 | 404; readonly reason: string };

/**
 * Maps an app:// URL to a file inside rootDir: refused unless it is of our scheme and host,
 * then by the rules every host of the UI shares (lookUpAsset).
 */
export async function resolveAppAsset(rootDir: string, requestUrl: string, options: AssetLookupOptions = {}): Promise<AppAsset> {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return { ok: false, status: 400, reason: 'malformed URL' };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) {
    return { ok: false, status: 403, reason: `not ${APP_ORIGIN}` };
  }
  const found = await lookUpAsset(rootDir, url.pathname, options);
  if (found.kind === 'file') return { ok: true, file: found.file, mimeType: found.type };
  return { ok: false, status: found.kind === 'refused' ? 403 : 404, reason: found.reason };
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
