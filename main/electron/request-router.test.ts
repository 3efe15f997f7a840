import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { AppInfo, RequestChannel, RequestPayload, ResponseValue, Result } from '../../shared/ipc/contract.js';
import { defaultRenderSettings } from '../../shared/render/render-settings.js';
import { APP_ORIGIN } from './app-url.js';
import { hostChannels, type HostChannel, type HostHandlers } from './host-channels.js';
import { PathGrants } from './path-grants.js';
import { acceptChosenFiles, routeRequest, type RequestRouting } from './request-router.js';

const exportsDir = path.resolve('/home/ada/Pictures/FlowGIF');
const ours = { frameUrl: `${APP_ORIGIN}/index.html`, isMainFrame: true, webContentsId: 7 };
const stranger = { ...ours, webContentsId: 8 };

const info: AppInfo = {
  version: '0.1.0',
  host: 'web',
  trainingBackends: { fm: { name: 'onnxruntime', label: 'CPU (onnxruntime)', gpu: false }, ffjord: { name: 'onnxruntime', label: 'CPU (onnxruntime)', gpu: false } },
  samples: [],
  defaultExportFolder: exportsDir,
  recentProjects: [],
};

/** A shell whose dialogs answer `picked`, over an engine that records what reaches it. */
function shell(picked: string) {
  const reached: Array<[RequestChannel, unknown]> = [];
  const owners: number[] = [];
  const host: HostHandlers = {
    'dialog:open-image': async () => ({ path: picked }),
    'dialog:open-project': async () => ({ path: picked }),
    'dialog:save-path': async () => ({ path: picked }),
    'shell:show-in-folder': async () => ({ shown: true }),
    'export:copy': async () => ({ copied: ['path'] }),
    'export:drag': async () => ({ started: true }),
  };
  const routing: RequestRouting = {
    trustedWebContentsIds: () => new Set([7]),
    host,
    grants: new PathGrants(),
    forward: async <C extends RequestChannel>(channel: C, payload: RequestPayload<C>, owner: number): Promise<Result<ResponseValue<C>>> => {
      reached.push([channel, payload]);
      owners.push(owner);
      const value = channel === 'app:info' ? info : channel === 'export:start' ? { jobId: 'j1' } : {};
      return { ok: true, value: value as ResponseValue<C> };
    },
  };
  return { routing, reached, owners };
}

const exportTo = (outputPath: string) => ({ flow: { kind: 'exact', imageId: 'i1' }, format: 'gif', outputPath, settings: defaultRenderSettings });

describe('routeRequest', () => {
  it('never forwards an export to a path the user did not choose, and says why', async () => {
    const { routing, reached } = shell('/home/ada/Desktop/cat.gif');
    const result = await routeRequest(routing, 'export:start', ours, exportTo('/home/ada/.bashrc'));
    assert.equal(result.ok, false);
    if (!result.ok) {
      assert.equal(result.error.code, 'OUTPUT_UNWRITABLE');
      assert.match(result.error.message, /FlowGIF only writes where you chose/);
    }
    // The shell asked the engine for its default folder, and nothing else reached it.
    assert.deepEqual(reached.map(([channel]) => channel), ['app:info']);
  });

  it('forwards an export to the path its save dialog returned', async () => {
    const chosen = path.resolve('/home/ada/Desktop/cat.gif');
    const { routing, reached, owners } = shell(chosen);
    const picked = await routeRequest(routing, 'dialog:save-path', ours, { defaultName: 'cat.gif', format: 'gif' });
    assert.deepEqual(picked, { ok: true, value: { path: chosen } });
    const started = await routeRequest(routing, 'export:start', ours, exportTo(chosen));
    assert.deepEqual(started, { ok: true, value: { jobId: 'j1' } });
    assert.deepEqual(reached.at(-1), ['export:start', exportTo(chosen)]);
    assert.equal(owners.at(-1), ours.webContentsId, "named as the sender's: its events go to that window alone");
  });

  it('forwards an export into the default folder the engine reported', async () => {
    const { routing, reached } = shell('/unused');
    const target = path.join(exportsDir, 'cat.gif');
    assert.equal((await routeRequest(routing, 'export:start', ours, exportTo(target))).ok, true);
    assert.deepEqual(reached.map(([channel]) => channel), ['app:info', 'export:start']);
  });

  it('answers exactly the host channels in the shell and forwards every other channel', async () => {
    const { routing, reached } = shell(path.join(exportsDir, 'cat.gif'));
    const payloads: Readonly<Record<HostChannel, unknown>> = {
      'dialog:open-image': {},
      'dialog:open-project': {},
      'dialog:save-path': { defaultName: 'cat.gif', format: 'gif' },
      'shell:show-in-folder': { path: path.join(exportsDir, 'cat.gif') },
      'export:copy': { path: path.join(exportsDir, 'cat.gif') },
      'export:drag': { path: path.join(exportsDir, 'cat.gif') },
    };
    // Copy and drag take only what the engine's export history lists.
    routing.grants.learn('export:history', {}, { entries: [{ outputPath: path.join(exportsDir, 'cat.gif'), format: 'gif', sizeBytes: 1, frames: 2, width: 3, height: 4, finishedAt: 5, missing: false }] });
    for (const channel of hostChannels) {
      const result = await routeRequest(routing, channel, ours, payloads[channel]);
      assert.equal(result.ok, true, channel);
    }
    // Only the default-folder lookup show-in-folder needs reached the engine, never a host channel.
    assert.deepEqual(reached.filter(([channel]) => channel !== 'app:info'), []);
    await routeRequest(routing, 'job:cancel', ours, { jobId: 'j1' });
    assert.deepEqual(reached.at(-1), ['job:cancel', { jobId: 'j1' }]);
  });

  it('grants files the preload reports as dropped, only from our window', async () => {
    const { routing, reached } = shell('/unused');
    const dropped = path.resolve('/home/ada/Downloads/leaf.jpg');
    const open = { source: { kind: 'path', path: dropped } };
    acceptChosenFiles(routing, stranger, [dropped]);
    assert.equal((await routeRequest(routing, 'image:open', ours, open)).ok, false, 'another webContents cannot grant');
    acceptChosenFiles(routing, ours, { 0: dropped });
    assert.equal((await routeRequest(routing, 'image:open', ours, open)).ok, false, 'a malformed report grants nothing');
    acceptChosenFiles(routing, ours, [dropped]);
    assert.deepEqual(await routeRequest(routing, 'image:open', ours, open), { ok: true, value: {} });
    assert.deepEqual(reached.at(-1), ['image:open', open]);
  });
});
