import fs from 'node:fs/promises';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { WebSocketServer, type WebSocket } from 'ws';
import { FlowGifError, serializeError } from '../../shared/errors.js';
import { decodeMessage, encodeMessage } from '../../shared/ipc/codec.js';
import type { RequestChannel } from '../../shared/ipc/contract.js';
import type { SharedEngineApi } from '../../shared/ipc/rpc-client.js';
import { validateRequest } from '../../shared/ipc/schemas.js';
import { NO_REQUEST_ID, readRequestEnvelope, type ServerMessage } from '../../shared/ipc/wire.js';
import { WorkerClient } from '../service/worker-client.js';
import { accessCookie, accessCookieName, checkAccessKey, keptAccessKey, KEY_PARAM, newAccessKey } from './access-key.js';
import { lookUpAsset } from '../hosting/static-assets.js';
import { DOWNLOAD_PATH } from '../../shared/download-link.js';
import { serveDownload } from './download-route.js';
import { rendererMissingPage, sendFile, webContentSecurityPolicy } from './static-files.js';
import { makeOwnedTempDir } from '../engine/project/owned-temp.js';

export interface WebHostOptions {
  /** 0 (the default) takes any free port. */
  readonly port?: number;
  /** Loopback only: the engine reads and writes the user's files on request. */
  readonly host?: '127.0.0.1';
  /** The built renderer (dist/renderer). */
  readonly rendererDir: string;
  /** The engine, shared by every tab; default a forked worker (WorkerClient) with the folders below. */
  readonly api?: SharedEngineApi<WebSocket> & { dispose?(): Promise<void> };
  readonly resourcesDir?: string;
  readonly dataDir?: string;
  /** Default: a fresh folder under the system temp folder, removed on close. */
  readonly tempDir?: string;
  /**
   * Where the access key is kept between launches (keptAccessKey), so an open page reconnects
   * after a restart on the same port; without it each launch makes a new key.
   */
  readonly keyFile?: string;
}

export interface WebHost {
  /** The address to open, as `npm run web` prints it: the origin with the key (`/?key=…`). */
  readonly url: string;
  /** `http://127.0.0.1:PORT`, without the key: pages served from here are at this origin. */
  readonly origin: string;
  /** The host's secret: every request must carry it, in the URL or the cookie set from it. */
  readonly accessKey: string;
  close(): Promise<void>;
}

export const IPC_PATH = '/ipc';
/** Uploads of pictures ride in requests; the schema caps an image at 200 MB. */
const MAX_FRAME_BYTES = 256 * 1024 * 1024;

/**
 * The UI in a browser on this machine: the built renderer over HTTP and the engine over one
 * WebSocket of codec frames at /ipc. Only whoever holds the host's key is served at all
 * (access-key.ts): other local users and processes reach nothing. Only pages served by this
 * host may connect (Origin), and only under its own names (Host), so no other site can drive
 * the engine, not even by DNS rebinding.
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const bindHost = options.host ?? '127.0.0.1';
  const ownTemp = options.tempDir === undefined ? await makeOwnedTempDir(os.tmpdir(), 'session') : undefined;
  const api =
    options.api ??
    new WorkerClient<WebSocket>({
      host: 'web',
      resourcesDir: options.resourcesDir ?? fileURLToPath(new URL('../../../resources/', import.meta.url)),
      dataDir: options.dataDir ?? defaultDataDir(),
      tempDir: options.tempDir ?? ownTemp!,
    });

  const accessKey = options.keyFile === undefined ? newAccessKey() : await keptAccessKey(options.keyFile);
  let cookieName = '';
  let origins: string[] = [];
  let hosts: string[] = [];
  let csp = '';
  const server = http.createServer((request, response) => {
    serveHttp(request, response).catch((error: unknown) => {
      console.error('FlowGIF web host:', error);
      if (!response.headersSent) plain(response, 500, 'Internal error');
      else response.destroy();
    });
  });

  async function serveHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    response.setHeader('Content-Security-Policy', csp);
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Referrer-Policy', 'no-referrer');
    response.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    // First of all: nothing about this host, not even whether a file exists, for anyone without the key.
    const access = checkAccessKey(request, accessKey, cookieName);
    if (access === 'refused') return plain(response, 401, KEY_REFUSED);
    if (!hosts.includes(request.headers.host ?? '')) return plain(response, 421, 'Unknown host name');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('Allow', 'GET, HEAD');
      return plain(response, 405, 'Method not allowed');
    }
    if (access === 'from-url') {
      // The key moves into the cookie and out of the address bar (and the history). Always to
      // `/`: a Location built from the request path could send the browser to another site.
      response.writeHead(303, { 'Set-Cookie': accessCookie(cookieName, accessKey), Location: '/', 'Cache-Control': 'no-store' });
      response.end();
      return;
    }
    const urlPath = (request.url ?? '/').split('?')[0]!;
    if (urlPath === DOWNLOAD_PATH) return serveDownload(request, response, api);
    const found = await lookUpAsset(options.rendererDir, urlPath);
    if (found.kind === 'file') return sendFile(response, found.file, found.type, request.method === 'HEAD');
    if (found.kind === 'refused') return plain(response, 403, 'Forbidden');
    if ((urlPath === '/' || urlPath === '/index.html') && !(await exists(path.join(options.rendererDir, 'index.html')))) {
      response.writeHead(503, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      response.end(rendererMissingPage);
      return;
    }
    plain(response, 404, 'Not found');
  }

  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refuse = (status: string): void => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (checkAccessKey(request, accessKey, cookieName) === 'refused') return refuse('401 Unauthorized');
    if ((request.url ?? '').split('?')[0] !== IPC_PATH) return refuse('404 Not Found');
    if (!hosts.includes(request.headers.host ?? '')) return refuse('421 Misdirected Request');
    // Browsers always send Origin on a WebSocket; a page from any other site is refused here.
    if (!origins.includes(request.headers.origin ?? '')) return refuse('403 Forbidden');
    sockets.handleUpgrade(request, socket, head, (ws) => sockets.emit('connection', ws, request));
  });
  sockets.on('connection', (ws: WebSocket) => serveSocket(ws, api));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, bindHost, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  cookieName = accessCookieName(port);
  const origin = `http://${bindHost}:${port}`;
  origins = [origin, `http://localhost:${port}`];
  hosts = [`${bindHost}:${port}`, `localhost:${port}`];
  csp = webContentSecurityPolicy(origins);

  let closing: Promise<void> | undefined;
  return {
    url: `${origin}/?${KEY_PARAM}=${accessKey}`,
    origin,
    accessKey,
    close() {
      closing ??= (async () => {
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await api.dispose?.();
        if (ownTemp !== undefined) await fs.rm(ownTemp, { recursive: true, force: true });
      })();
      return closing;
    },
  };
}

/**
 * One browser tab: its requests go to the engine, named as its own; the events of the jobs it
 * started come back to it, and no other tab's.
 */
function serveSocket(ws: WebSocket, api: SharedEngineApi<WebSocket>): void {
  const send = (message: ServerMessage): void => {
    if (ws.readyState === ws.OPEN) ws.send(encodeMessage(message));
  };
  const unsubscribe = api.onDidOwnJobEvent(ws, (message) => send({ type: 'job', message }));
  ws.on('close', unsubscribe);
  ws.on('error', () => ws.terminate());
  ws.on('message', (data, isBinary) => {
    let id = NO_REQUEST_ID;
    let channel: RequestChannel;
    let payload: unknown;
    try {
      if (!isBinary) throw new TypeError('FlowGIF speaks binary frames (shared/ipc/codec.ts), not text.');
      const envelope = readRequestEnvelope(decodeMessage(toBytes(data)));
      id = envelope.id;
      channel = envelope.channel as RequestChannel;
      payload = validateRequest(channel, envelope.payload);
    } catch (error) {
      // A bad frame is answered, never allowed to take the host down.
      send({ type: 'response', id, result: { ok: false, error: serializeError(asIpcError(error)) } });
      return;
    }
    void api.invoke(channel, payload as never, ws).then(
      (result) => send({ type: 'response', id, result }),
      (error: unknown) => send({ type: 'response', id, result: { ok: false, error: serializeError(error) } }),
    );
  });
}

function asIpcError(error: unknown): FlowGifError {
  if (error instanceof FlowGifError && error.code === 'IPC_INVALID') return error;
  return new FlowGifError('IPC_INVALID', `Invalid message: ${error instanceof Error ? error.message : String(error)}`);
}

function toBytes(data: Buffer | ArrayBuffer | Buffer[]): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}

const KEY_REFUSED =
  'This FlowGIF web host serves only whoever started it. Open the address it printed when it started (the one ending in ?key=…).';

function plain(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  response.end(`${text}\n`);
}

async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    () => true,
    () => false,
  );
}

/** Where Electron would keep FlowGIF's user data, so both hosts share the recent-projects list. */
export function defaultDataDir(): string {
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(process.env['APPDATA'] ?? path.join(home, 'AppData', 'Roaming'), 'flowgif');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'flowgif');
  return path.join(process.env['XDG_CONFIG_HOME'] ?? path.join(home, '.config'), 'flowgif');
}
