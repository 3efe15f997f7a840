import fs from 'node:fs';
import { protocol, type Session } from 'electron';
import { APP_SCHEME, assetHeaders, resolveAppAsset } from './app-url.js';

/** Must run before app 'ready': privileges of a scheme cannot change once Chromium has started. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      // standard + secure give the UI a real origin and a secure context (module scripts, fetch).
      // No corsEnabled: it would let other origins read app:// without any ACAO check.
      privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
    },
  ]);
}

/** Serves rootDir (dist/renderer) on app://flowgif/ in this session; nothing else is reachable. */
export function serveAppProtocol(session: Session, rootDir: string): void {
  const inArchive = /\.asar([\\/]|$)/.test(rootDir);
  session.protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405, 'method not allowed');
    const asset = await resolveAppAsset(rootDir, request.url, { inArchive });
    if (!asset.ok) return refuse(asset.status, asset.reason);
    try {
      const body = await fs.promises.readFile(asset.file);
      return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers: assetHeaders(asset.mimeType) });
    } catch {
      return refuse(404, 'not found');
    }
  });
}

function refuse(status: number, reason: string): Response {
  return new Response(reason, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
}
