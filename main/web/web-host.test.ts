import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { WebSocket } from 'ws';
import { decodeMessage, encodeMessage } from '../../shared/ipc/codec.js';
import type { FlowGifApi, ImageInfo, JobMessage, ProjectData, TrajectoryData } from '../../shared/ipc/contract.js';
import type { SharedEngineApi } from '../../shared/ipc/rpc-client.js';
import type { WireResponse } from '../../shared/ipc/wire.js';
import { createWsTransport, type WsTransport } from '../../shared/ipc/ws-transport.js';
import { resolveRenderSettings } from '../../shared/render/render-settings.js';
import { bundledSamplePath } from '../engine/image/samples.js';
import { JobWatcher, ok } from '../service/job-watcher.test-util.js';
import { startWebHost, type WebHost } from './web-host.js';

let root: string;
let host: WebHost;
let origin: string;
/** `Cookie: …` as a browser sends it after opening the printed URL. */
let signedIn: Record<string, string>;
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
  origin = host.origin;
  signedIn = await signIn(host);
  api = createWsTransport(new WebSocket(`${origin.replace('http', 'ws')}/ipc`, { origin, headers: signedIn }));
});

after(async () => {
  // Closing the host first, so a failed sign-in in before() (no api yet) cannot leave it running.
  await host.close();
  (api as WsTransport | undefined)?.dispose();
  await fs.rm(root, { recursive: true, force: true });
});

/** An engine for hosts whose engine a test never reaches. */
const idleApi: SharedEngineApi<WebSocket> = { invoke: async () => ({ ok: false, error: { name: 'E', message: 'unused' } }), onDidOwnJobEvent: () => () => {} };

type Reply = { status: number; headers: http.IncomingHttpHeaders; body: string };

/** A raw request: node's client sends the path exactly as given, `..` included, and follows no redirect. */
function request(urlPath: string, headers: Record<string, string> = {}, method = 'GET', to: WebHost = host): Promise<Reply> {
  const { hostname, port } = new URL(to.url);
  return new Promise((resolve, reject) => {
    const request = http.request({ hostname, port, path: urlPath, headers, method }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    request.on('error', reject);
    request.end();
  });
}

/** A GET as the browser of whoever started the host sends it: with the cookie from the printed URL. */
function get(urlPath: string, headers: Record<string, string> = {}): Promise<Reply> {
  return request(urlPath, { ...signedIn, ...headers });
}

/** Opens the printed URL as a browser would: the key becomes a cookie, the browser goes to `/`. */
async function signIn(to: WebHost): Promise<Record<string, string>> {
  const printed = new URL(to.url);
  const reply = await request(printed.pathname + printed.search, {}, 'GET', to);
  assert.equal(reply.status, 303);
  assert.equal(reply.headers.location, '/');
  const [cookie] = reply.headers['set-cookie'] ?? [];
  assert.ok(cookie !== undefined, 'the printed URL sets a cookie');
  return { Cookie: cookie.split(';')[0]! };
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
    const socket = new WebSocket(`${origin.replace('http', 'ws')}/ipc`, { origin, headers: signedIn });
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

test("each tab hears only the jobs it started: B never receives A's job events", async () => {
  const connect = () => createWsTransport(new WebSocket(`${origin.replace('http', 'ws')}/ipc`, { origin, headers: signedIn }));
  const a = connect();
  const b = connect();
  try {
    const heardByA: JobMessage[] = [];
    const heardByB: JobMessage[] = [];
    a.onDidJobEvent((m) => heardByA.push(m));
    b.onDidJobEvent((m) => heardByB.push(m));
    const watchA = new JobWatcher(a);
    const watchB = new JobWatcher(b);
    const heart = await ok(a, 'image:open', { source: { kind: 'sample', name: 'heart.png' } });
    const preview = { flow: { kind: 'exact', imageId: heart.imageId }, particles: 100, seed: 0 } as const;
    const [{ jobId: jobA }, { jobId: jobB }] = await Promise.all([ok(a, 'preview:start', preview), ok(b, 'preview:start', { ...preview, seed: 1 })]);
    await watchA.done(jobA);
    await watchB.done(jobB);
    // A's trajectory went to A alone, and B's to B.
    assert.deepEqual(new Set(heardByA.map((m) => m.jobId)), new Set([jobA]));
    assert.deepEqual(new Set(heardByB.map((m) => m.jobId)), new Set([jobB]));
    assert.equal(heardByB.filter((m) => m.type === 'done').length, 1);
  } finally {
    a.dispose();
    b.dispose();
  }
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
  assert.equal(await handshake(url, { origin, headers: signedIn }), 101);
  assert.equal(await handshake(url, { origin: 'http://evil.example', headers: signedIn }), 403);
  assert.equal(await handshake(url, { origin: origin.replace(/:\d+$/, ':1'), headers: signedIn }), 403);
  assert.equal(await handshake(url, { headers: signedIn }), 403, 'no Origin: not a browser page of ours');
  assert.equal(await handshake(url, { origin: 'http://evil.example', headers: { ...signedIn, Host: 'evil.example' } }), 421);
  assert.equal(await handshake(`${origin.replace('http', 'ws')}/other`, { origin, headers: signedIn }), 404);
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

  // Which paths are served is lookUpAsset's (hosting/static-assets.test.ts); here: how it answers.
  assert.equal((await get('/assets/')).status, 404, 'no listing');
  assert.equal((await get('/missing.js')).status, 404);
  assert.equal((await get('/../secret.txt')).status, 403, 'the path as sent, .. included');
  assert.equal((await get('/assets/link.txt')).status, 403, 'a symlink out of the folder');
  assert.equal((await get('/', { Host: 'evil.example' })).status, 421);
  assert.equal((await request('/', signedIn, 'POST')).status, 405);
});

test('without a built renderer the page says so', async () => {
  const bare = await startWebHost({ port: 0, rendererDir: path.join(root, 'not-built'), api: idleApi, tempDir: path.join(root, 'temp2') });
  try {
    assert.equal((await request('/', {}, 'GET', bare)).status, 401, 'not even that, without the key');
    const response = await request('/', await signIn(bare), 'GET', bare);
    assert.equal(response.status, 503);
    assert.match(response.body, /not been built/);
    assert.match(response.body, /npm run build/);
  } finally {
    await bare.close();
  }
});

/**
 * What another local process could do before the key: connect with the Origin the host expects,
 * open a picture by path and save a project over a file. Returns the handshake's status and
 * whatever came back; each response is awaited, so nothing is left running after it returns.
 */
function intrude(headers: Record<string, string>, frames: readonly Uint8Array[]): Promise<{ status: number; responses: WireResponse[] }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${origin.replace('http', 'ws')}/ipc`, { origin, headers });
    socket.binaryType = 'arraybuffer';
    const responses: WireResponse[] = [];
    socket.on('open', () => frames.forEach((frame) => socket.send(frame)));
    socket.on('message', (data: ArrayBuffer) => {
      const message = decodeMessage(data) as WireResponse;
      if (message.type !== 'response') return;
      responses.push(message);
      if (responses.length === frames.length) {
        socket.close();
        resolve({ status: 101, responses });
      }
    });
    socket.on('unexpected-response', (_request, response) => {
      socket.terminate();
      resolve({ status: response.statusCode ?? 0, responses });
    });
    socket.on('error', (error) => {
      if (socket.readyState !== socket.CLOSED) reject(error);
    });
  });
}

test('the printed URL: a key of 256 random bits, a strict cookie for this port, then the clean URL', async () => {
  const printed = new URL(host.url);
  assert.equal(printed.origin, origin);
  assert.equal(printed.pathname, '/');
  assert.equal(printed.searchParams.get('key'), host.accessKey);
  assert.match(host.accessKey, /^[A-Za-z0-9_-]{43}$/, '32 bytes, base64url');

  const reply = await request(printed.pathname + printed.search);
  assert.equal(reply.status, 303);
  assert.equal(reply.headers.location, '/', 'the key leaves the address bar');
  assert.equal(reply.headers['referrer-policy'], 'no-referrer');
  const cookie = reply.headers['set-cookie']?.[0] ?? '';
  const [pair, ...attributes] = cookie.split(';').map((part) => part.trim());
  assert.equal(pair, `flowgif-key-${printed.port}=${host.accessKey}`, 'named for the port: browsers share cookies across ports');
  assert.deepEqual(attributes.sort(), ['HttpOnly', 'Path=/', 'SameSite=Strict']);

  const page = await request('/', { Cookie: pair! });
  assert.equal(page.status, 200);
  assert.match(page.body, /<title>FlowGIF/);
  assert.equal((await request('/assets/app.js', { Cookie: `other=1; ${pair!}` })).status, 200, 'among other cookies');
  assert.equal(await handshake(`${origin.replace('http', 'ws')}/ipc`, { origin, headers: { Cookie: pair! } }), 101, 'the socket on the cookie');
  assert.equal(await handshake(`${origin.replace('http', 'ws')}/ipc?key=${host.accessKey}`, { origin }), 101, 'or on the key');

  const other = await startWebHost({ port: 0, rendererDir: path.join(root, 'renderer'), api: idleApi, tempDir: path.join(root, 'temp3') });
  try {
    assert.notEqual(other.accessKey, host.accessKey, 'a new key each launch');
  } finally {
    await other.close();
  }
});

test('a kept key: the same key after a restart on the same port, so an open page\'s cookie opens the socket again; the file is its owner\'s alone', async () => {
  const keyFile = path.join(root, 'kept', 'web-access-key');
  const start = (port: number, tempDir: string) => startWebHost({ port, rendererDir: path.join(root, 'renderer'), api: idleApi, tempDir: path.join(root, tempDir), keyFile });
  const first = await start(0, 'temp-kept-1');
  const port = Number(new URL(first.origin).port);
  const cookie = `flowgif-key-${port}=${first.accessKey}`;
  await first.close();
  const again = await start(port, 'temp-kept-2');
  try {
    assert.equal(again.url, first.url, 'the same address, key and all');
    assert.equal(await handshake(`${again.origin.replace('http', 'ws')}/ipc`, { origin: again.origin, headers: { Cookie: cookie } }), 101, "the old page's cookie opens the socket");
    assert.equal((await fs.readFile(keyFile, 'utf8')).trim(), first.accessKey);
    if (process.platform !== 'win32') assert.equal((await fs.stat(keyFile)).mode & 0o777, 0o600, 'readable by its owner alone');
  } finally {
    await again.close();
  }
  if (process.platform === 'win32') return;
  // A key others could read may have been seen: a new one replaces it, as does a file that holds no key.
  await fs.chmod(keyFile, 0o644);
  const exposed = await start(0, 'temp-kept-3');
  await exposed.close();
  assert.notEqual(exposed.accessKey, first.accessKey);
  assert.equal((await fs.stat(keyFile)).mode & 0o777, 0o600);
  await fs.writeFile(keyFile, 'not a key', { mode: 0o600 });
  const garbled = await start(0, 'temp-kept-4');
  await garbled.close();
  assert.match(garbled.accessKey, /^[A-Za-z0-9_-]{43}$/);
  // A link, even to a good key of ours, is not kept: it could point anywhere. The new key replaces the link, not its target.
  const elsewhere = path.join(root, 'kept', 'elsewhere');
  await fs.writeFile(elsewhere, `${garbled.accessKey}\n`, { mode: 0o600 });
  await fs.rm(keyFile);
  await fs.symlink(elsewhere, keyFile);
  const linked = await start(0, 'temp-kept-5');
  await linked.close();
  assert.notEqual(linked.accessKey, garbled.accessKey);
  assert.equal((await fs.lstat(keyFile)).isFile(), true);
  assert.equal((await fs.readFile(elsewhere, 'utf8')).trim(), garbled.accessKey, 'the link target is untouched');
  await fs.rm(elsewhere);
  assert.deepEqual((await fs.readdir(path.dirname(keyFile))).sort(), ['web-access-key'], 'no temporary key file left');
});

test('without the key nothing is served: no page, no file, no socket, not even a 404 or 421', async () => {
  for (const urlPath of ['/', '/index.html', '/assets/app.js', '/missing.js', '/../secret.txt', '/assets/link.txt']) {
    const reply = await request(urlPath);
    assert.equal(reply.status, 401, urlPath);
    assert.match(reply.body, /Open the address it printed/);
    assert.doesNotMatch(reply.body, /FlowGIF<\/title>|export/, 'no file contents');
  }
  assert.equal((await request('/', { Host: 'evil.example' })).status, 401, 'before the Host check');
  assert.equal((await request('/', {}, 'POST')).status, 401, 'before the method check');
  assert.equal((await request('/', {}, 'HEAD')).status, 401);

  const ws = origin.replace('http', 'ws');
  assert.equal(await handshake(`${ws}/ipc`, { origin }), 401, 'the expected Origin is not enough');
  assert.equal(await handshake(`${ws}/ipc`, {}), 401);
  assert.equal(await handshake(`${ws}/other`, { origin }), 401, 'before the path check');
  assert.equal(await handshake(`${ws}/ipc`, { origin, headers: { Host: 'evil.example' } }), 401, 'before the Host check');
});

test('a wrong key is refused, in the URL, in the cookie and on the socket', async () => {
  const { port } = new URL(host.url);
  const sameLength = host.accessKey.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
  const ws = `${origin.replace('http', 'ws')}/ipc`;
  for (const wrong of ['', 'x', sameLength, `${host.accessKey}x`, host.accessKey.toLowerCase()]) {
    assert.equal((await request(`/?key=${encodeURIComponent(wrong)}`)).status, 401, `?key=${wrong}`);
    assert.equal((await request('/', { Cookie: `flowgif-key-${port}=${wrong}` })).status, 401, `cookie ${wrong}`);
    assert.equal(await handshake(`${ws}?key=${encodeURIComponent(wrong)}`, { origin }), 401);
    assert.equal(await handshake(ws, { origin, headers: { Cookie: `flowgif-key-${port}=${wrong}` } }), 401);
  }
  assert.equal((await request('/', { Cookie: `flowgif-key-1=${host.accessKey}` })).status, 401, "another port's cookie name");
  assert.equal((await request(`/?key=${host.accessKey}&key=x`)).status, 401, 'two keys');
  assert.equal((await request('/?key=stale', signedIn)).status, 401, 'a stale key in the URL is refused even beside a good cookie');

  const other = await startWebHost({ port: 0, rendererDir: path.join(root, 'renderer'), api: idleApi, tempDir: path.join(root, 'temp4') });
  try {
    assert.equal((await request(`/?key=${host.accessKey}`, {}, 'GET', other)).status, 401, "another launch's key");
  } finally {
    await other.close();
  }
});

test('another local process sending the expected Origin can neither open a picture by path nor save over a file', async () => {
  const picture = path.join(root, 'private', 'holiday.png');
  await fs.mkdir(path.dirname(picture));
  await fs.copyFile(bundledSamplePath('heart.png'), picture);
  const target = path.join(root, 'private', 'notes.flowgif');
  await fs.writeFile(target, 'mine');
  const project: ProjectData = {
    version: 1,
    image: { name: 'heart.png', path: picture },
    density: { threshold: 0, mass: 'auto' },
    settings: resolveRenderSettings({ size: 48 }),
    training: { method: 'fm', seconds: 2, seed: 1 },
    modelPath: undefined,
  };
  const frames = [
    encodeMessage({ type: 'request', id: 1, channel: 'image:open', payload: { source: { kind: 'path', path: picture } } }),
    encodeMessage({ type: 'request', id: 2, channel: 'project:save', payload: { path: target, project } }),
  ];

  const intruder = await intrude({}, frames);
  assert.equal(intruder.status, 401);
  assert.deepEqual(intruder.responses, []);
  assert.equal(await fs.readFile(target, 'utf8'), 'mine', 'the file is untouched');

  // The same requests from the browser holding the cookie do reach the engine: what the key guards is real.
  const fresh = path.join(root, 'private', 'owner.flowgif');
  const owner = await intrude(signedIn, [
    frames[0]!,
    encodeMessage({ type: 'request', id: 2, channel: 'project:save', payload: { path: fresh, project } }),
  ]);
  assert.equal(owner.status, 101);
  const opened = owner.responses.find((r) => r.id === 1)!.result;
  assert.ok(opened.ok && (opened.value as ImageInfo).path === picture);
  assert.ok(owner.responses.find((r) => r.id === 2)!.result.ok);
  const saved = JSON.parse(await fs.readFile(fresh, 'utf8')) as ProjectData;
  assert.equal(path.resolve(path.dirname(fresh), saved.image.path!), picture);
});

/** The raw bytes of a GET: the download test compares them with the file. */
function getBytes(urlPath: string, headers: Record<string, string> = signedIn): Promise<{ status: number; headers: http.IncomingHttpHeaders; bytes: Buffer }> {
  const { hostname, port } = new URL(host.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname, port, path: urlPath, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, bytes: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('a finished export is on the history and downloads with its bytes; other paths, traversals and requests without the key are refused', async () => {
  const heart = await ok(api, 'image:open', { source: { kind: 'sample', name: 'heart.png' } });
  const folder = path.join(root, 'exports dir');
  await fs.mkdir(folder, { recursive: true });
  const file = path.join(folder, 'heart ü.gif');
  const watcher = new JobWatcher(api);
  const settings = resolveRenderSettings({ size: 64, particles: 300, timeline: { fps: 5, durationSeconds: 0.4, holdEndSeconds: 0, bounce: false } });
  const { jobId } = await ok(api, 'export:start', { flow: { kind: 'exact', imageId: heart.imageId }, format: 'gif', outputPath: file, settings });
  await watcher.done(jobId);
  watcher.unsubscribe();

  const { entries } = await ok(api, 'export:history', {});
  const entry = entries.find((e) => e.outputPath === file);
  assert.ok(entry !== undefined, 'the export is on the history');
  const onDisk = await fs.readFile(file);
  assert.deepEqual([entry.format, entry.sizeBytes, entry.width, entry.missing], ['gif', onDisk.length, 64, false]);

  const link = `/download?path=${encodeURIComponent(file)}`;
  const served = await getBytes(link);
  assert.equal(served.status, 200);
  assert.equal(served.headers['content-type'], 'image/gif');
  assert.equal(served.headers['content-disposition'], `attachment; filename="heart _.gif"; filename*=UTF-8''heart%20%C3%BC.gif`);
  assert.ok(served.bytes.equals(onDisk), 'the bytes served are the file');

  assert.equal((await getBytes(link, {})).status, 401, 'without the key: refused before anything is looked up');
  const secret = path.join(root, 'secret.txt');
  assert.equal((await getBytes(`/download?path=${encodeURIComponent(secret)}`)).status, 404, 'a file the app did not export');
  const traversal = path.join(folder, '..', 'secret.txt');
  assert.equal((await getBytes(`/download?path=${encodeURIComponent(traversal)}`)).status, 404, 'a traversal from an exported folder');
  const dotted = await getBytes(`/download/../secret.txt?path=${encodeURIComponent(file)}`);
  assert.ok(dotted.status === 403 && !dotted.bytes.toString().includes('not for the browser'), 'a traversal in the route itself');
  assert.equal((await getBytes('/download')).status, 400, 'no path');

  // Gone since: shown as missing on the history, and no longer served.
  await fs.rm(file);
  const after = await ok(api, 'export:history', {});
  assert.equal(after.entries.find((e) => e.outputPath === file)?.missing, true);
  assert.equal((await getBytes(link)).status, 410);
});
