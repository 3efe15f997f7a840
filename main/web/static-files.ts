import fs from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { contentSecurityPolicy } from '../hosting/renderer-assets.js';

/** The web UI also connects to the engine's WebSocket on its own origin (named for browsers where 'self' omits ws:). */
export function webContentSecurityPolicy(origins: readonly string[]): string {
  return contentSecurityPolicy(origins.map((origin) => origin.replace(/^http/, 'ws')));
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
