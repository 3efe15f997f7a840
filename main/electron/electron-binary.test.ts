import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';

/** dist/main/electron → the repository. */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const electronDir = path.join(root, 'node_modules', 'electron');

/**
 * Where the electron package keeps its downloaded binary, read without require('electron'),
 * which would try to download it.
 */
function electronBinary(): string | undefined {
  const pathFile = path.join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = path.join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
}

describe('the packaged shell under the real Electron binary', () => {
  it('opens the window, loads the UI from app:// and quits (FLOWGIF_SMOKE_TEST)', async (t) => {
    const binary = electronBinary();
    if (binary === undefined) {
      t.skip(`no Electron binary (node_modules/electron/path.txt and dist/ are absent: the binary could not be downloaded here)`);
      return;
    }
    if (process.platform === 'linux' && process.env['DISPLAY'] === undefined && process.env['WAYLAND_DISPLAY'] === undefined) {
      t.skip('no display: run under xvfb-run');
      return;
    }
    if (!existsSync(path.join(root, 'dist', 'renderer', 'index.html')) || !existsSync(path.join(root, 'dist', 'main', 'electron', 'preload.cjs'))) {
      t.skip('the UI or the preload bundle is not built');
      return;
    }
    const child = spawn(binary, [root], { env: { ...process.env, FLOWGIF_SMOKE_TEST: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill(), 60_000);
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    clearTimeout(timer);
    assert.match(output, /flowgif-smoke: ready app:\/\/flowgif\/index\.html api=invoke,onDidJobEvent,onDidMenuCommand,pathForFile/, output);
    assert.equal(code, 0, output);
  });
});
