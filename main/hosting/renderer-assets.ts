import path from 'node:path';

/**
 * What both hosts of the built UI (Electron's app:// protocol and the web host) agree on: which
 * files a vite build holds and the content security policy they are served with. One table, so
 * the two hosts cannot drift apart.
 */
const mimeTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

/** Only what a vite build produces; anything else is refused rather than guessed. */
export function mimeTypeOf(file: string): string | undefined {
  return mimeTypes[path.extname(file).toLowerCase()];
}

/**
 * Our own scripts and styles alone; pictures the UI draws become data: or blob: URLs; the only
 * connections are to `connectSources` (the web host's WebSocket; none in Electron). Sent as a
 * header on every asset so it holds even if a page lost its meta tag.
 */
export function contentSecurityPolicy(connectSources: readonly string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    ["connect-src 'self'", ...connectSources].join(' '),
    "worker-src 'self' blob:",
    "media-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
