import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { JOB_EVENT_CHANNEL, requestChannels, type JobMessage, type RequestChannel, type RequestPayload } from '../../shared/ipc/contract.js';
import { defaultRenderSettings } from '../../shared/render/render-settings.js';
import { MENU_COMMAND_CHANNEL, menuCommands, type MenuCommand } from '../../shared/ipc/menu.js';
import { createFlowGifApi, readChosenFiles, watchChosenFiles, type ChosenFilesEvent, type ChosenFilesSource, type Invoke, type Subscribe } from './preload-api.js';

/** One valid request of each channel: the preload checks payloads before they cross. */
const validPayloads: { readonly [C in RequestChannel]: RequestPayload<C> } = {
  'app:info': {},
  'image:open': { source: { kind: 'sample', name: 'heart.png' } },
  'preview:start': { flow: { kind: 'exact', imageId: 'i1' }, particles: 100, seed: 0 },
  'train:start': { imageId: 'i1', method: 'fm', seconds: 5, seed: 0 },
  'job:cancel': { jobId: 'j1' },
  'train:finish': { jobId: 'j1' },
  'export:estimate': { flow: { kind: 'exact', imageId: 'i1' }, format: 'gif', settings: defaultRenderSettings },
  'export:start': { flow: { kind: 'exact', imageId: 'i1' }, format: 'gif', outputPath: '/home/me/a.gif', settings: defaultRenderSettings },
  'project:save': {
    path: '/home/me/a.flowgif',
    project: { version: 1, image: { name: 'a.png', path: undefined }, density: { mass: 'auto', threshold: 0 }, settings: defaultRenderSettings, training: { method: 'fm', seconds: 5, seed: 0 }, modelPath: undefined },
  },
  'project:open': { path: '/home/me/a.flowgif' },
  'dialog:open-image': {},
  'dialog:open-project': {},
  'dialog:save-path': { defaultName: 'a.gif', format: 'gif' },
  'shell:show-in-folder': { path: '/home/me/a.gif' },
  'export:history': {},
  'export:copy': { path: '/home/me/a.gif' },
  'export:drag': { path: '/home/me/a.gif' },
};

/** ipcRenderer as the preload sees it; `answer` is what main answers each invoke with. */
function fakeIpc(answer: (channel: string) => unknown = (channel) => ({ ok: false, error: { name: 'Echo', message: `echoed ${channel}` } })) {
  const invoked: Array<[string, unknown]> = [];
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const invoke: Invoke = async (channel, payload) => {
    invoked.push([channel, payload]);
    return answer(channel);
  };
  const subscribe: Subscribe = (channel, listener) => {
    const set = listeners.get(channel) ?? new Set();
    set.add(listener);
    listeners.set(channel, set);
    return () => set.delete(listener);
  };
  const emit = (channel: string, payload: unknown) => listeners.get(channel)?.forEach((listener) => listener(payload));
  return { invoked, listeners, invoke, subscribe, emit };
}

describe('createFlowGifApi', () => {
  it('exposes one frozen object: invoke, the two event subscriptions, pathForFile', () => {
    const ipc = fakeIpc();
    const api = createFlowGifApi(ipc.invoke, ipc.subscribe, () => '');
    assert.deepEqual(Object.keys(api).sort(), ['invoke', 'onDidJobEvent', 'onDidMenuCommand', 'pathForFile']);
    assert.ok(Object.isFrozen(api));
  });

  it('forwards exactly the contract request channels, with valid payloads only', async () => {
    const ipc = fakeIpc();
    const api = createFlowGifApi(ipc.invoke, ipc.subscribe, () => '');
    for (const channel of requestChannels) {
      const result = await api.invoke(channel, validPayloads[channel] as never);
      assert.deepEqual(result, { ok: false, error: { name: 'Echo', message: `echoed ${channel}` } });
    }
    assert.deepEqual(
      ipc.invoked.map(([channel]) => channel),
      [...requestChannels],
    );
    for (const channel of [JOB_EVENT_CHANNEL, MENU_COMMAND_CHANNEL, 'app:quit', 'ELECTRON_BROWSER_REQUIRE', '', 42, undefined]) {
      const result = await api.invoke(channel as never, {} as never);
      assert.equal(result.ok, false, String(channel));
      if (!result.ok) assert.equal(result.error.code, 'IPC_INVALID');
    }
    const bad = await api.invoke('train:start', { imageId: 'i1', method: 'fm', seconds: 'long' as never, seed: 0 });
    assert.ok(!bad.ok && bad.error.code === 'IPC_INVALID');
    assert.equal(ipc.invoked.length, requestChannels.length, 'refused channels and payloads never reach ipcRenderer');
  });

  it("checks each answer against its channel's schema", async () => {
    const ipc = fakeIpc((channel) => (channel === 'job:cancel' ? { ok: true, value: { cancelled: false } } : { ok: true, value: { echoed: channel } }));
    const api = createFlowGifApi(ipc.invoke, ipc.subscribe, () => '');
    assert.deepEqual(await api.invoke('job:cancel', { jobId: 'j1' }), { ok: true, value: { cancelled: false } });
    const wrong = await api.invoke('app:info', {});
    assert.ok(!wrong.ok && wrong.error.code === 'IPC_INVALID' && /app:info response/.test(wrong.error.message));
  });

  it('turns a rejected invoke into a Result instead of throwing', async () => {
    const api = createFlowGifApi(
      () => Promise.reject(new Error("No handler registered for 'app:info'")),
      fakeIpc().subscribe,
      () => '',
    );
    const result = await api.invoke('app:info', {});
    assert.equal(result.ok, false);
    if (!result.ok) assert.match(result.error.message, /No handler/);
    if (!result.ok) assert.equal(result.error.code, 'IPC_INVALID');
  });

  it('delivers valid job events and menu commands as payloads only, and unsubscribes', () => {
    const ipc = fakeIpc();
    const errors: unknown[] = [];
    const api = createFlowGifApi(ipc.invoke, ipc.subscribe, () => '', (error) => errors.push(error));
    const jobs: JobMessage[] = [];
    const commands: MenuCommand[] = [];
    const offJobs = api.onDidJobEvent((message) => jobs.push(message));
    const offMenu = api.onDidMenuCommand((command) => commands.push(command));
    const message: JobMessage = { jobId: 'j1', kind: 'export', type: 'cancelled' };
    ipc.emit(JOB_EVENT_CHANNEL, message);
    ipc.emit(JOB_EVENT_CHANNEL, { jobId: 'j1', kind: 'export', type: 'exploded' });
    for (const command of menuCommands) ipc.emit(MENU_COMMAND_CHANNEL, command);
    ipc.emit(MENU_COMMAND_CHANNEL, 'rm -rf');
    assert.deepEqual(jobs, [message]);
    assert.equal(errors.length, 1, 'the invalid job event is reported, not delivered');
    assert.deepEqual(commands, [...menuCommands]);
    offJobs();
    offMenu();
    ipc.emit(JOB_EVENT_CHANNEL, message);
    assert.deepEqual(jobs, [message], 'unsubscribed');
    assert.equal(ipc.listeners.get(JOB_EVENT_CHANNEL)?.size, 1, 'one ipcRenderer listener for every job listener, for the page\'s life');
    assert.equal(ipc.listeners.get(MENU_COMMAND_CHANNEL)?.size, 0);
    assert.deepEqual([...ipc.listeners.keys()].sort(), [JOB_EVENT_CHANNEL, MENU_COMMAND_CHANNEL].sort());
  });

  it('gives a path for real files and undefined otherwise', () => {
    const ipc = fakeIpc();
    const api = createFlowGifApi(ipc.invoke, ipc.subscribe, (file) => {
      if ('name' in file) return `/home/me/${String(file.name)}`;
      if ('blob' in file) return '';
      throw new TypeError('not a File');
    });
    assert.equal(api.pathForFile({ name: 'cat.png' }), '/home/me/cat.png');
    assert.equal(api.pathForFile({ blob: true }), undefined);
    assert.equal(api.pathForFile({}), undefined);
  });
});

describe('preload.cjs bundle', () => {
  const bundle = path.join(path.dirname(fileURLToPath(import.meta.url)), 'preload.cjs');
  it('requires nothing but electron and carries the contract channels', (t) => {
    if (!existsSync(bundle)) {
      t.skip('dist/main/electron/preload.cjs not built: run `node main/electron/build-preload.mjs` after `tsc -b`');
      return;
    }
    const text = readFileSync(bundle, 'utf8');
    const required = [...text.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((match) => match[1]);
    assert.deepEqual([...new Set(required)], ['electron']);
    for (const channel of requestChannels) assert.ok(text.includes(`"${channel}"`), channel);
    assert.match(text, /exposeInMainWorld\("flowgif"/);
    assert.doesNotMatch(text, /process\.env/);
  });
});

describe('watchChosenFiles', () => {
  /** window, reduced to what the watcher uses; dispatch hands events to capture listeners. */
  function fakeWindow() {
    const listeners = new Map<string, Array<{ listener: (event: ChosenFilesEvent) => void; capture: boolean }>>();
    const source: ChosenFilesSource = {
      addEventListener: (type, listener, options) => listeners.set(type, [...(listeners.get(type) ?? []), { listener, capture: options.capture }]),
    };
    const dispatch = (type: string, event: ChosenFilesEvent) => listeners.get(type)?.forEach(({ listener }) => listener(event));
    return { source, listeners, dispatch };
  }
  const file = (name: string) => ({ name });
  const pathOf = (f: object) => ('name' in f ? `/home/me/${String(f.name)}` : '');

  it('reports the paths of files dropped by the user, in the capture phase', () => {
    const win = fakeWindow();
    const sent: string[][] = [];
    watchChosenFiles(win.source, pathOf, (paths) => sent.push(paths));
    assert.ok([...win.listeners.values()].flat().every((entry) => entry.capture));
    win.dispatch('drop', { isTrusted: true, dataTransfer: { files: [file('cat.png'), {}, file('leaf.jpg')] } });
    assert.deepEqual(sent, [['/home/me/cat.png', '/home/me/leaf.jpg']]);
  });

  it('reports files picked in a file input, and ignores other inputs', () => {
    const win = fakeWindow();
    const sent: string[][] = [];
    watchChosenFiles(win.source, pathOf, (paths) => sent.push(paths));
    win.dispatch('change', { isTrusted: true, target: { type: 'file', files: [file('cat.png')] } });
    win.dispatch('change', { isTrusted: true, target: { type: 'text', files: [file('evil.png')] } });
    win.dispatch('change', { isTrusted: true, target: null });
    assert.deepEqual(sent, [['/home/me/cat.png']]);
  });

  it('ignores events the page made up, files without a path and empty drops', () => {
    const win = fakeWindow();
    const sent: string[][] = [];
    watchChosenFiles(win.source, (f) => {
      if ('name' in f) return pathOf(f);
      throw new TypeError('not a File');
    }, (paths) => sent.push(paths));
    win.dispatch('drop', { isTrusted: false, dataTransfer: { files: [file('shadow')] } });
    win.dispatch('change', { isTrusted: false, target: { type: 'file', files: [file('shadow')] } });
    win.dispatch('drop', { isTrusted: true, dataTransfer: { files: [{}] } });
    win.dispatch('drop', { isTrusted: true, dataTransfer: null });
    assert.deepEqual(sent, []);
  });

  it('the shell reads a report as paths only when it is a short list of strings', () => {
    assert.deepEqual(readChosenFiles(['/a.png', '/b.png']), ['/a.png', '/b.png']);
    for (const bad of [undefined, '/a.png', ['/a.png', 3], [''], { 0: '/a.png' }, Array.from({ length: 65 }, () => '/a.png')]) {
      assert.deepEqual(readChosenFiles(bad), [], JSON.stringify(bad));
    }
  });
});
