import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { WebSocket } from 'ws';
import { decodeMessage, encodeMessage } from '../../shared/ipc/codec.js';
import type { FlowGifApi, TrajectoryData } from '../../shared/ipc/contract.js';
import type { WireResponse } from '../../shared/ipc/wire.js';
import { createWsTransport, type WsTransport } from '../../shared/ipc/ws-transport.js';
import { JobWatcher, ok } from '../service/job-watcher.test-util.js';
import { startWebHost, type WebHost } from './web-host.js';

let root: string;
let host: WebHost;
let origin: string;
let api: WsTransport;

before(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'flowgif-web-test-'));
  const rendererDir = path.join(root, 'renderer');
  await fs.mkdir(path.join(rendererDir, 'assets'), { recursive: true });
  await fs.writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>FlowGIF</title>');
  await fs.writeFile(path.join(rendererDir, 'assets', 'app.js'), 'export {};');
  await fs.writeFile(path.join(root, 'secret.txt'), 'not for the browser');
  await fs.symlink(path.join(root, 'secret.txt'), path.join(rendererDir, 'assets', 'link.txt'));
  host = await startWebHost({ port: 0, rendererDir, dataDir: path.join(root, 'data'), tempDir: path.join(root, 'temp') });
  origin = host.url.replace(/\/$/, '');
  api = createWsTransport(new WebSocket(`${origin.replace('http', 'ws')}/ipc`, { origin }));
});

after(async () => {
  api.dispose();
  await host.close();
  await fs.rm(root, { recursive: true, force: true });
});

/** A raw GET: node's client sends the path exactly as given, `..` included. */
function get(urlPath: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  const { hostname, port } = new URL(host.url);
  return new Promise((resolve, reject) => {
    const request = http.request({ hostname, port, path: urlPath, headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    request.on('error', reject);
    request.end();
  });
}

/** The status of a refused WebSocket handshake, or 101 when it was accepted. */
function handshake(url: string, options: { origin?: string; headers?: Record<string, string> }): Promise<number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, options);
    socket.on('open', () => {
      socket.close();
      resolve(101);
    });
    socket.on('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.on('error', () => {});
  });
}

/** One frame in, the first response out, over a fresh connection. */
function exchange(frame: Uint8Array | string): Promise<WireResponse> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${origin.replace('http', 'ws')}/ipc`, { origin });
    socket.binaryType = 'arraybuffer';
    socket.on('open', () => socket.send(frame));
    socket.on('message', (data: ArrayBuffer) => {
      const message = decodeMessage(data) as WireResponse;
      if (message.type !== 'response') return;
      socket.close();
      resolve(message);
    });
    socket.on('error', reject);
  });
}

test('app:info and a preview through the WebSocket transport, typed arrays intact', async () => {
  const info = await ok(api, 'app:info', {});
  assert.equal(info.host, 'web');
  const heart = await ok(api, 'image:open', { source: { kind: 'sample', name: 'heart.png' } });
  assert.ok(heart.densityPreview.rgba instanceof Uint8Array);
  const watcher = new JobWatcher(api);
  const { jobId } = await ok(api, 'preview:start', { flow: { kind: 'exact', imageId: heart.imageId }, particles: 100, seed: 0 });
  const data = await watcher.done<TrajectoryData>(jobId);
  assert.ok(data.positions instanceof Float32Array && data.times instanceof Float64Array);
  assert.equal(data.positions.length, data.times.length * 200);
  watcher.unsubscribe();
  const dialog = await api.invoke('dialog:open-image', {});
  assert.ok(!dialog.ok && dialog.error.code === 'HOST_UNSUPPORTED');
});

test('bad frames get IPC_INVALID answers and the host keeps serving', async () => {
  const garbage = await exchange(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]));
  assert.equal(garbage.id, -1);
  assert.ok(!garbage.result.ok && garbage.result.error.code === 'IPC_INVALID');
  const text = await exchange('{"type":"request"}');
  assert.ok(!text.result.ok && text.result.error.code === 'IPC_INVALID' && /binary/.test(text.result.error.message));
  const badPayload = await exchange(encodeMessage({ type: 'request', id: 7, channel: 'train:start', payload: { imageId: 'x', method: 'fm', seconds: 'long', seed: 0 } }));
  assert.equal(badPayload.id, 7);
  assert.ok(!badPayload.result.ok && badPayload.result.error.code === 'IPC_INVALID' && /train:start request: seconds/.test(badPayload.result.error.message));
  const unknown = await exchange(encodeMessage({ type: 'request', id: 8, channel: 'fs:read', payload: {} }));
  assert.ok(!unknown.result.ok && /Unknown channel/.test(unknown.result.error.message));
  assert.equal((await ok(api as FlowGifApi, 'job:cancel', { jobId: 'none' })).cancelled, false);
});

test('only pages of this host may open the socket', async () => {
  const url = `${origin.replace('http', 'ws')}/ipc`;
  assert.equal(await handshake(url, { origin }), 101);
  assert.equal(await handshake(url, { origin: 'http://evil.example' }), 403);
  assert.equal(await handshake(url, { origin: origin.replace(/:\d+$/, ':1') }), 403);
  assert.equal(await handshake(url, {}), 403, 'no Origin: not a browser page of ours');
  assert.equal(await handshake(url, { origin: 'http://evil.example', headers: { Host: 'evil.example' } }), 421);
  assert.equal(await handshake(`${origin.replace('http', 'ws')}/other`, { origin }), 404);
});

test('static files: MIME types, a strict CSP, no listings, nothing outside the folder', async () => {
  const index = await get('/');
  assert.equal(index.status, 200);
  assert.match(String(index.headers['content-type']), /^text\/html/);
  assert.match(index.body, /<title>FlowGIF/);
  const csp = String(index.headers['content-security-policy']);
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'self'(;|$)/);
  assert.match(csp, new RegExp(`connect-src 'self' ${origin.replace('http', 'ws').replace(/\./g, '\\.')}`));
  assert.equal(index.headers['x-content-type-options'], 'nosniff');
  const script = await get('/assets/app.js');
  assert.equal(script.status, 200);
  assert.match(String(script.headers['content-type']), /^text\/javascript/);
  assert.ok(script.headers['content-security-policy']);

  assert.equal((await get('/assets/')).status, 404, 'no listing');
  assert.equal((await get('/assets')).status, 404, 'no listing');
  assert.equal((await get('/missing.js')).status, 404);
  assert.equal((await get('/../secret.txt')).status, 403);
  assert.equal((await get('/assets/../../secret.txt')).status, 403);
  assert.equal((await get('/%2e%2e/secret.txt')).status, 403);
  assert.equal((await get('/..%2fsecret.txt')).status, 403);
  assert.equal((await get('/assets/%5c..%5c..%5csecret.txt')).status, 403);
  assert.equal((await get('/assets/link.txt')).status, 403, 'a symlink out of the folder');
  assert.equal((await get('/%E0%A4%A')).status, 403, 'undecodable');
  assert.equal((await get('/', { Host: 'evil.example' })).status, 421);
  const post = await new Promise<number>((resolve) => {
    const { hostname, port } = new URL(host.url);
    http.request({ hostname, port, path: '/', method: 'POST' }, (r) => (r.resume(), resolve(r.statusCode ?? 0))).end();
  });
  assert.equal(post, 405);
});

test('without a built renderer the page says so', async () => {
  const fake: FlowGifApi = { invoke: async () => ({ ok: false, error: { name: 'E', message: 'unused' } }), onDidJobEvent: () => () => {} };
  const bare = await startWebHost({ port: 0, rendererDir: path.join(root, 'not-built'), api: fake, tempDir: path.join(root, 'temp2') });
  try {
    const response = await new Promise<{ status: number; body: string }>((resolve) => {
      http.get(bare.url, (r) => {
        let body = '';
        r.on('data', (c: Buffer) => (body += c.toString()));
        r.on('end', () => resolve({ status: r.statusCode ?? 0, body }));
      });
    });
    assert.equal(response.status, 503);
    assert.match(response.body, /not been built/);
    assert.match(response.body, /npm run build/);
  } finally {
    await bare.close();
  }
});
