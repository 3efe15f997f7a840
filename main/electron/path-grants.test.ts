import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { isFlowGifError } from '../../shared/errors.js';
import type { AppInfo, ExportFormat, ImageInfo, ProjectData, RequestChannel, RequestPayload } from '../../shared/ipc/contract.js';
import { defaultRenderSettings } from '../../shared/render/render-settings.js';
import { PathGrants } from './path-grants.js';

const home = path.resolve('/home/ada');
const exportsDir = path.join(home, 'Pictures', 'FlowGIF');
const at = (...parts: string[]): string => path.join(home, ...parts);

const appInfo = (recentProjects: string[] = []): AppInfo => ({
  version: '0.1.0',
  host: 'electron',
  trainingBackends: { fm: { name: 'onnxruntime', label: 'CPU (onnxruntime)', gpu: false }, ffjord: { name: 'onnxruntime', label: 'CPU (onnxruntime)', gpu: false } },
  samples: [{ name: 'flowgif-mark.png', title: 'FlowGIF mark' }],
  defaultExportFolder: exportsDir,
  recentProjects,
});

const exportStart = (outputPath: string, format: ExportFormat = 'gif'): RequestPayload<'export:start'> => ({
  flow: { kind: 'exact', imageId: 'i1' },
  format,
  outputPath,
  settings: defaultRenderSettings,
});

const project: ProjectData = {
  version: 1,
  image: { name: 'cat.png', path: at('Pictures', 'cat.png') },
  density: { mass: 'auto', threshold: 0 },
  settings: defaultRenderSettings,
  training: { method: 'fm', seconds: 10, seed: 0 },
  modelPath: undefined,
};

const imageInfo = (file: string | undefined): ImageInfo => ({
  imageId: 'i1',
  name: 'cat.png',
  path: file,
  originalWidth: 4,
  originalHeight: 4,
  bounds: { xMin: -4, xMax: 4, yMin: -4, yMax: 4 },
  density: { mass: 'auto', threshold: 0 },
  background: { rgba: [255, 255, 255, 255], transparent: false },
  densityPreview: { width: 1, height: 1, rgba: new Uint8Array(4) },
});

/** The FlowGifError check throws, or undefined when the request passes. */
function refusal<C extends RequestChannel>(grants: PathGrants, channel: C, payload: RequestPayload<C>) {
  try {
    grants.check(channel, payload);
    return undefined;
  } catch (error) {
    assert.ok(isFlowGifError(error), String(error));
    return error;
  }
}

function withAppInfo(recent: string[] = []): PathGrants {
  const grants = new PathGrants();
  grants.learn('app:info', {}, appInfo(recent));
  return grants;
}

describe('PathGrants: exports and saves go only where the user chose', () => {
  it('refuses an export path nobody picked, in the app\'s words, naming the file', () => {
    const grants = withAppInfo();
    const target = at('.bashrc');
    const error = refusal(grants, 'export:start', exportStart(target));
    assert.ok(error);
    assert.equal(error.code, 'OUTPUT_UNWRITABLE');
    assert.equal(error.message, `FlowGIF only writes where you chose, and you did not choose ${target}.`);
    assert.equal(error.file, target);
    assert.match(error.hint ?? '', /Choose…/);
    assert.ok(error.hint?.includes(exportsDir), 'the hint names the default folder');
    assert.doesNotMatch(`${error.message} ${error.hint}`, /--/, 'no CLI flag');
  });

  it('accepts what the save dialog returned, for that format only', () => {
    const grants = withAppInfo();
    const chosen = at('Desktop', 'cat.gif');
    grants.learn('dialog:save-path', { defaultName: 'cat.gif', format: 'gif' }, { path: chosen });
    assert.equal(refusal(grants, 'export:start', exportStart(chosen)), undefined);
    // Another spelling of the same path is the same path.
    assert.equal(refusal(grants, 'export:start', exportStart(at('Desktop', '.', 'x', '..', 'cat.gif'))), undefined);
    // The GIF's path does not become a PNG-frames folder, an MP4, a project, or a picture to read.
    assert.ok(refusal(grants, 'export:start', exportStart(chosen, 'png')));
    assert.ok(refusal(grants, 'export:start', exportStart(chosen, 'mp4')));
    assert.ok(refusal(grants, 'project:save', { path: chosen, project }));
    assert.ok(refusal(grants, 'image:open', { source: { kind: 'path', path: chosen } }));
    // Its folder and its neighbours are not chosen either.
    assert.ok(refusal(grants, 'export:start', exportStart(at('Desktop', 'other.gif'))));
    assert.ok(refusal(grants, 'export:start', exportStart(`${chosen}/../../.profile`)));
  });

  it("carries the save dialog's own replace confirmation to that one export, so the app does not ask twice", () => {
    const grants = new PathGrants();
    const file = at('Desktop', 'logo.gif');
    grants.learn('dialog:save-path', { defaultName: 'logo.gif', format: 'gif' }, { path: file });
    assert.equal(grants.withConsent('export:start', exportStart(file)).replace, undefined, 'no consent without the dialog asking');
    grants.confirmReplacing(file);
    assert.equal(grants.withConsent('export:start', exportStart(at('Desktop', 'other.gif'))).replace, undefined);
    assert.equal(grants.withConsent('export:start', exportStart(file)).replace, true);
    assert.equal(grants.withConsent('export:start', exportStart(file)).replace, undefined, 'a second export over it is asked about again');
    grants.confirmReplacing(at('Desktop', 'frames'));
    assert.equal(grants.withConsent('export:start', exportStart(`${at('Desktop', 'frames')}/`, 'png')).replace, true);
  });

  it('a cancelled dialog grants nothing', () => {
    const grants = withAppInfo();
    grants.learn('dialog:save-path', { defaultName: 'cat.gif', format: 'gif' }, { path: undefined });
    grants.learn('dialog:open-image', {}, { path: undefined });
    assert.ok(refusal(grants, 'export:start', exportStart(at('cat.gif'))));
  });

  it('accepts a file or a PNG-frames folder directly in the default export folder, nothing deeper or outside', () => {
    const grants = withAppInfo();
    assert.equal(refusal(grants, 'export:start', exportStart(path.join(exportsDir, 'cat.gif'))), undefined);
    assert.equal(refusal(grants, 'export:start', exportStart(path.join(exportsDir, 'cat.mp4'), 'mp4')), undefined);
    assert.equal(refusal(grants, 'export:start', exportStart(`${path.join(exportsDir, 'cat-frames')}${path.sep}`, 'png')), undefined);
    assert.equal(refusal(grants, 'project:save', { path: path.join(exportsDir, 'cat.flowgif'), project }), undefined);
    assert.ok(refusal(grants, 'export:start', exportStart(exportsDir, 'png')), 'the folder itself holds other exports');
    assert.ok(refusal(grants, 'export:start', exportStart(path.join(exportsDir, 'deeper', 'cat.gif'))));
    assert.ok(refusal(grants, 'export:start', exportStart(path.join(exportsDir, '..', 'cat.gif'))));
    assert.ok(refusal(grants, 'export:start', exportStart(path.join(exportsDir, '..', '..', '.ssh', 'authorized_keys'))));
  });

  it('knows no default folder until the engine says it', () => {
    const grants = new PathGrants();
    assert.ok(grants.needsDefaultFolder('export:start'));
    assert.ok(!grants.needsDefaultFolder('train:start'));
    assert.ok(refusal(grants, 'export:start', exportStart(path.join(exportsDir, 'cat.gif'))));
    grants.learn('app:info', {}, appInfo());
    assert.ok(!grants.needsDefaultFolder('export:start'));
  });

  it('refuses relative paths and paths with NUL', () => {
    const grants = withAppInfo();
    grants.learn('dialog:save-path', { defaultName: 'cat.gif', format: 'gif' }, { path: 'cat.gif' });
    assert.ok(refusal(grants, 'export:start', exportStart('cat.gif')));
    assert.ok(refusal(grants, 'export:start', exportStart(`${path.join(exportsDir, 'cat.gif')}\0.png`)));
  });

  it('saves a project where the save dialog put it, and again after it was saved', () => {
    const grants = withAppInfo();
    const chosen = at('Documents', 'cat.flowgif');
    const error = refusal(grants, 'project:save', { path: chosen, project });
    assert.equal(error?.code, 'OUTPUT_UNWRITABLE');
    assert.match(error?.hint ?? '', /Save…/);
    grants.learn('dialog:save-path', { defaultName: 'cat.flowgif', format: 'project' }, { path: chosen });
    assert.equal(refusal(grants, 'project:save', { path: chosen, project }), undefined);
    assert.ok(refusal(grants, 'export:start', exportStart(chosen)), 'a project path is not an export path');
    assert.ok(refusal(grants, 'project:open', { path: chosen }), 'not saved yet: nothing to reopen');
    grants.learn('project:save', { path: chosen, project }, { path: chosen });
    assert.equal(refusal(grants, 'project:open', { path: chosen }), undefined, 'saved: on the recent list');
  });
});

describe('PathGrants: pictures and projects open only from a dialog, a drop, the recent list or the samples', () => {
  it('refuses a picture path nobody chose, and accepts the open dialog\'s', () => {
    const grants = withAppInfo();
    const picture = at('Pictures', 'cat.png');
    const error = refusal(grants, 'image:open', { source: { kind: 'path', path: picture } });
    assert.equal(error?.code, 'INVALID_ARGUMENT');
    assert.equal(error?.message, `FlowGIF only opens pictures you chose, and ${picture} was not one of them.`);
    assert.match(error?.hint ?? '', /Open…/);
    grants.learn('dialog:open-image', {}, { path: picture });
    assert.equal(refusal(grants, 'image:open', { source: { kind: 'path', path: picture } }), undefined);
    assert.ok(refusal(grants, 'export:start', exportStart(picture)), 'opening a picture does not let anyone overwrite it');
    assert.ok(refusal(grants, 'image:open', { source: { kind: 'path', path: '/etc/shadow' } }));
  });

  it('opens dropped files, samples by name and uploaded bytes without a path grant', () => {
    const grants = withAppInfo();
    const dropped = at('Downloads', 'leaf.jpg');
    grants.grant(dropped, 'image');
    assert.equal(refusal(grants, 'image:open', { source: { kind: 'path', path: dropped } }), undefined);
    assert.equal(refusal(grants, 'image:open', { source: { kind: 'sample', name: 'flowgif-mark.png' } }), undefined);
    assert.equal(refusal(grants, 'image:open', { source: { kind: 'bytes', name: 'x.png', bytes: new Uint8Array(8) } }), undefined);
  });

  it('opens projects from the open dialog and the recent list the engine reported, and the picture inside', () => {
    const recent = at('Documents', 'old.flowgif');
    const grants = withAppInfo([recent]);
    const typed = at('Documents', 'typed.flowgif');
    const error = refusal(grants, 'project:open', { path: typed });
    assert.equal(error?.code, 'INVALID_ARGUMENT');
    assert.match(error?.hint ?? '', /Browse…/);
    assert.equal(refusal(grants, 'project:open', { path: recent }), undefined);
    grants.learn('dialog:open-project', {}, { path: typed });
    assert.equal(refusal(grants, 'project:open', { path: typed }), undefined);
    // Reopening a picture of the project (density changes) by the path the engine returned.
    const picture = project.image.path ?? '';
    assert.ok(refusal(grants, 'image:open', { source: { kind: 'path', path: picture } }));
    grants.learn('project:open', { path: typed }, { project, image: imageInfo(picture), modelId: undefined });
    assert.equal(refusal(grants, 'image:open', { source: { kind: 'path', path: picture } }), undefined);
    assert.ok(refusal(grants, 'project:save', { path: recent, project }), 'the recent list opens, it does not overwrite');
  });
});

describe('PathGrants: show in folder', () => {
  it('shows what FlowGIF wrote or the user chose, including frames in a chosen PNG folder', () => {
    const grants = withAppInfo();
    const frames = at('Desktop', 'cat-frames');
    assert.ok(refusal(grants, 'shell:show-in-folder', { path: frames }));
    grants.learn('dialog:save-path', { defaultName: 'cat-frames', format: 'png' }, { path: frames });
    assert.equal(refusal(grants, 'shell:show-in-folder', { path: frames }), undefined);
    assert.equal(refusal(grants, 'shell:show-in-folder', { path: path.join(frames, 'frame-0001.png') }), undefined);
    assert.equal(refusal(grants, 'shell:show-in-folder', { path: path.join(exportsDir, 'cat.gif') }), undefined);
    assert.ok(refusal(grants, 'shell:show-in-folder', { path: at('.ssh', 'id_ed25519') }));
  });
});

describe('PathGrants: copy and drag out', () => {
  const entry = (outputPath: string, missing = false) => ({ outputPath, format: 'gif' as const, sizeBytes: 10, frames: 3, width: 8, height: 8, finishedAt: 1, missing });

  it('copies and drags only files on the export history the engine answered, and not once they are missing', () => {
    const exported = at('Desktop', 'cat.gif');
    const other = at('Documents', 'secret.pdf');
    const grants = withAppInfo();
    assert.ok(refusal(grants, 'export:copy', { path: exported }), 'nothing is copied before the history names it');
    grants.learn('export:history', {}, { entries: [entry(exported), entry(at('Desktop', 'gone.gif'), true)] });
    assert.equal(refusal(grants, 'export:copy', { path: exported }), undefined);
    assert.equal(refusal(grants, 'export:drag', { path: exported }), undefined);
    assert.equal(grants.exportedFormat(exported), 'gif');
    assert.equal(refusal(grants, 'shell:show-in-folder', { path: exported }), undefined, 'an exported file may be shown in its folder');
    assert.ok(refusal(grants, 'export:start', { flow: { kind: 'exact', imageId: 'i' }, format: 'gif', outputPath: exported, settings: defaultRenderSettings }), 'being on the history does not let the page write there again');
    for (const refused of [other, at('Desktop', 'gone.gif'), at('Desktop', 'x', '..', '..', 'Documents', 'secret.pdf'), path.join(exportsDir, 'never-written.gif'), 'cat.gif']) {
      const error = refusal(grants, 'export:copy', { path: refused });
      assert.ok(error !== undefined && /only copies or drags out files it exported/.test(error.message), `${refused} is refused`);
      assert.ok(refusal(grants, 'export:drag', { path: refused }), `${refused} is not dragged`);
    }
    // A later list replaces the last: a file it no longer names is no longer copied.
    grants.learn('export:history', {}, { entries: [] });
    assert.ok(refusal(grants, 'export:copy', { path: exported }));
  });
});
