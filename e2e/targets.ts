import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { _electron, chromium, type Browser, type BrowserContext, type ElectronApplication, type Page } from 'playwright-core';
import { startWebHost, type WebHost } from '../main/web/web-host.js';
import { CHROMIUM_ARGS, chromiumPath, electronBinary, rendererDir, repoRoot, resourcesDir } from './paths.js';

/** One running app under test: its pages and the folder exports may write to. */
export interface Session {
  readonly exportDir: string;
  /** A page showing the app as just started (a new tab, or the window reloaded). */
  freshPage(): Promise<Page>;
  /** Stops the engine's host under the open pages, as quitting `npm run web` does (the web host only). */
  stopHost?(): Promise<void>;
  /** Starts the host again after stopHost, on its port with its kept key, as `npm run web` started again does. */
  restartHost?(): Promise<void>;
  close(): Promise<void>;
}

export interface Target {
  readonly name: 'chromium' | 'electron';
  /** Why this target cannot run on this machine, or undefined when it can. */
  unavailable(): string | undefined;
  start(): Promise<Session>;
}

const VIEWPORT = { width: 1280, height: 800 };

/** data/, temp/ and exports/ under one folder that close() removes. */
async function scratchFolders(label: string): Promise<{ root: string; data: string; temp: string; exports: string }> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), `flowgif-e2e-${label}-`));
  const folders = { root, data: path.join(root, 'data'), temp: path.join(root, 'temp'), exports: path.join(root, 'exports') };
  await Promise.all([folders.data, folders.temp, folders.exports].map((dir) => fs.mkdir(dir)));
  return folders;
}

/** Debian's Chromium through playwright-core, against a fresh web host (and engine worker). */
export const chromiumTarget: Target = {
  name: 'chromium',
  unavailable() {
    const executable = chromiumPath();
    if (!existsSync(executable)) return `Chromium not found at ${executable}: apt-get install chromium (or set CHROMIUM_PATH)`;
    return undefined;
  },
  async start() {
    const folders = await scratchFolders('web');
    let host: WebHost | undefined;
    let browser: Browser | undefined;
    // Kept between starts, as `npm run web` keeps it in the user's FlowGIF folder: an open page reconnects.
    const keyFile = path.join(folders.data, 'web-access-key');
    const startHost = (port: number): Promise<WebHost> =>
      startWebHost({ port, host: '127.0.0.1', rendererDir, resourcesDir, dataDir: folders.data, tempDir: folders.temp, keyFile });
    try {
      host = await startHost(0);
      browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
    } catch (error) {
      await browser?.close();
      await host?.close();
      await fs.rm(folders.root, { recursive: true, force: true });
      throw error;
    }
    // The address `npm run web` prints, key and all: each fresh context starts as a user pasting it.
    const { url, origin } = host;
    let running: WebHost = host;
    let context: BrowserContext | undefined;
    let hostStopped: Promise<void> | undefined;
    const stopHost = (): Promise<void> => (hostStopped ??= running.close());
    return {
      exportDir: folders.exports,
      async freshPage() {
        await context?.close();
        context = await browser.newContext({ viewport: VIEWPORT });
        const page = await context.newPage();
        await page.goto(url);
        // The host trades the key for its cookie and sends the browser on to the clean address.
        if (page.url() !== `${origin}/`) throw new Error(`Opening the printed address ended at ${page.url()}, not ${origin}/`);
        return page;
      },
      stopHost,
      async restartHost() {
        await stopHost();
        running = await startHost(Number(new URL(origin).port));
        hostStopped = undefined;
        if (running.url !== url) throw new Error(`The host started again at ${running.url}, not ${url}: its key or port changed`);
      },
      async close() {
        await browser.close();
        await stopHost();
        await fs.rm(folders.root, { recursive: true, force: true });
      },
    };
  },
};

/**
 * The Electron shell (package.json main = dist/main/electron/main.js) through playwright-core's
 * _electron, where the binary was downloaded and there is a display (xvfb-run on CI).
 */
export const electronTarget: Target = {
  name: 'electron',
  unavailable() {
    if (electronBinary() === undefined) {
      return 'no Electron binary: node_modules/electron/path.txt and the file it names are absent (the binary could not be downloaded on this machine)';
    }
    if (process.platform === 'linux' && process.env['DISPLAY'] === undefined && process.env['WAYLAND_DISPLAY'] === undefined) {
      return 'no display: run under xvfb-run -a';
    }
    for (const built of ['dist/main/electron/main.js', 'dist/main/electron/preload.cjs']) {
      if (!existsSync(path.join(repoRoot, built))) return `the Electron shell is not built (${built} is missing): npm run build`;
    }
    return undefined;
  },
  async start() {
    const folders = await scratchFolders('electron');
    let app: ElectronApplication;
    try {
      app = await _electron.launch({
        executablePath: electronBinary()!,
        // As root (containers) Chromium's sandbox cannot start; everywhere else it stays on.
        args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), '--disable-gpu', '.'],
        cwd: repoRoot,
        // userData (XDG_CONFIG_HOME/flowgif) and the engine's temp folder (TMPDIR) in scratch folders.
        // HOME too: the shell writes only where the user chose or into the app's default folder
        // (HOME/FlowGIF without a Pictures folder), and e2e cannot drive a native save dialog.
        env: { ...process.env, XDG_CONFIG_HOME: folders.data, TMPDIR: folders.temp, HOME: folders.root },
        timeout: 60_000,
      });
    } catch (error) {
      await fs.rm(folders.root, { recursive: true, force: true });
      throw error;
    }
    let page: Page | undefined;
    return {
      exportDir: path.join(folders.root, 'FlowGIF'),
      async freshPage() {
        if (page === undefined) {
          page = await app.firstWindow();
          await page.setViewportSize(VIEWPORT).catch(() => undefined);
        } else await page.reload();
        await page.waitForLoadState('domcontentloaded');
        return page;
      },
      async close() {
        await app.close();
        await fs.rm(folders.root, { recursive: true, force: true });
      },
    };
  },
};
