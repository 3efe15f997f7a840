import fs from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { contentSecurityPolicy, mimeTypeOf } from '../hosting/renderer-assets.js';

/**
 * The built renderer, served read-only: files under one folder, by extension-known MIME type,
 * no listings, nothing outside the folder (neither by `..` nor by a symlink).
 */

/** The web UI also connects to the engine's WebSocket on its own origin (named for browsers where 'self' omits ws:). */
export function webContentSecurityPolicy(origins: readonly string[]): string {
  return contentSecurityPolicy(origins.map((origin) => origin.replace(/^http/, 'ws')));
}

export type StaticLookup = { readonly kind: 'file'; readonly file: string; readonly type: string } | { readonly kind: 'refused' | 'missing' };

/** Which file a URL path names, or why none: `refused` for anything that tries to leave the folder. */
export async function lookUpStatic(rootDir: string, urlPath: string): Promise<StaticLookup> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { kind: 'refused' };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { kind: 'refused' };
  const segments = decoded.split('/').filter((s) => s !== '');
  // Dot segments (.., .git, .env) are never part of a vite build.
  if (segments.some((s) => s.startsWith('.'))) return { kind: 'refused' };
  if (segments.length === 0) segments.push('index.html');
  const root = path.resolve(rootDir);
  const candidate = path.join(root, ...segments);
  if (!isInside(root, candidate)) return { kind: 'refused' };
  let real: string;
  try {
    real = await fs.realpath(candidate);
    const realRoot = await fs.realpath(root);
    if (!isInside(realRoot, real)) return { kind: 'refused' };
    if (!(await fs.stat(real)).isFile()) return { kind: 'missing' };
  } catch {
    return { kind: 'missing' };
  }
  const type = mimeTypeOf(real);
  return type === undefined ? { kind: 'missing' } : { kind: 'file', file: real, type };
}

function isInside(root: string, file: string): boolean {
  const relative = path.relative(root, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

export async function sendFile(response: ServerResponse, file: string, type: string, headOnly: boolean): Promise<void> {
  const body = await fs.readFile(file);
  response.writeHead(200, {
    'Content-Type': type,
    'Content-Length': body.byteLength,
    // Built assets carry content hashes; index.html must always be fresh to point at them.
    'Cache-Control': path.basename(file) === 'index.html' ? 'no-cache' : 'public, max-age=31536000, immutable',
  });
  response.end(headOnly ? undefined : body);
}

export const rendererMissingPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>FlowGIF: renderer not built</title></head>
<body>
<h1>The FlowGIF UI has not been built yet</h1>
<p>The web host is running and the engine is ready, but there is no built renderer to serve.</p>
<p>Build it with <code>npm run build</code> (which runs vite into <code>dist/renderer</code>), then reload this page.</p>
</body></html>
`;
