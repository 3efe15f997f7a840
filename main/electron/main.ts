/**
 * The Electron shell: one window serving the built UI on app://, a sandboxed preload exposing
 * window.flowgif, and the engine in a utilityProcess. Everything here is wiring; the decisions
 * live in small modules beside it (app-url, sender-check, menu-template, request-router).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, Menu, session, shell } from 'electron';
import { JOB_EVENT_CHANNEL, type ResponseValue } from '../../shared/ipc/contract.js';
import { MENU_COMMAND_CHANNEL, type MenuCommand } from '../../shared/ipc/menu.js';
import { registerAppScheme, serveAppProtocol } from './app-protocol.js';
import { installWebContentsGuards, restrictPermissions } from './guards.js';
import { createHostHandlers } from './host-requests.js';
import { registerIpcHandlers } from './ipc-handlers.js';
import { buildMenuTemplate } from './menu-template.js';
import { PathGrants } from './path-grants.js';
import { installQuitGuard } from './quit-guard.js';
import { isAllowedExternalUrl } from './sender-check.js';
import { ServiceHost } from './service-host.js';
import { createMainWindow } from './window.js';
import { makeOwnedTempDirSync } from '../engine/project/owned-temp.js';

const here = path.dirname(fileURLToPath(import.meta.url));
/** dist/main/electron → dist/. */
const distDir = path.resolve(here, '..', '..');
const rendererDir = path.join(distDir, 'renderer');
const preloadFile = path.join(here, 'preload.cjs');
const workerEntry = path.join(distDir, 'main', 'service', 'worker-entry.js');

// Before 'ready': scheme privileges and the sandbox are fixed once Chromium starts.
registerAppScheme();
app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  start();
}

function start(): void {
  // Packaged: samples and encoders sit in Resources/; from a checkout, in the repo's resources/.
  const resourcesDir = app.isPackaged ? process.resourcesPath : path.join(app.getAppPath(), 'resources');
  const iconFile = path.join(resourcesDir, 'icons', 'icon.png');
  app.setAppLogsPath();
  // Named for this process, so the next start removes it if this one is killed.
  const tempDir = makeOwnedTempDirSync(app.getPath('temp'), 'session');

  let mainWindow: BrowserWindow | undefined;
  const trusted = new Set<number>();

  const service = new ServiceHost({
    entry: workerEntry,
    resourcesDir,
    tempDir,
    dataDir: app.getPath('userData'),
    version: app.getVersion(),
    logFile: path.join(app.getPath('logs'), 'engine.log'),
  });
  const guardWindow = installQuitGuard(service);

  const openWindow = (): BrowserWindow => {
    if (mainWindow !== undefined && !mainWindow.isDestroyed()) return mainWindow;
    const window = createMainWindow({ preload: preloadFile, icon: fs.existsSync(iconFile) ? iconFile : undefined });
    const id = window.webContents.id;
    trusted.add(id);
    // Only the jobs this window started: a 13 MB trajectory is no other window's business.
    const stopJobEvents = service.onDidOwnJobEvent(id, (message) => {
      if (!window.isDestroyed()) window.webContents.send(JOB_EVENT_CHANNEL, message);
    });
    window.on('closed', () => {
      stopJobEvents();
      trusted.delete(id);
      if (mainWindow === window) mainWindow = undefined;
    });
    guardWindow(window);
    if (process.env['FLOWGIF_SMOKE_TEST'] === '1') smokeTest(window);
    mainWindow = window;
    return window;
  };

  const sendMenuCommand = (command: MenuCommand): void => {
    const window = openWindow();
    if (window.webContents.isLoading()) window.webContents.once('did-finish-load', () => window.webContents.send(MENU_COMMAND_CHANNEL, command));
    else window.webContents.send(MENU_COMMAND_CHANNEL, command);
  };

  installWebContentsGuards();

  // For the app's whole run: a path the user chose stays chosen until quit.
  const grants = new PathGrants();
  registerIpcHandlers({
    trustedWebContentsIds: () => trusted,
    host: createHostHandlers(() => mainWindow, {
      onReplaceConfirmed: (file) => grants.confirmReplacing(file),
      exportedFormat: (file) => grants.exportedFormat(file),
      dragIcon: iconFile,
    }),
    forward: (channel, payload, owner) => service.request(channel, payload, owner),
    grants,
    amend: (channel, value) => {
      if (channel !== 'app:info') return value;
      // The engine serves the web host too; which host and version this is, the shell knows.
      const info = value as ResponseValue<'app:info'>;
      return { ...info, host: 'electron', version: app.getVersion() } as typeof value;
    },
  });

  app.on('second-instance', () => {
    const window = openWindow();
    if (window.isMinimized()) window.restore();
    window.focus();
  });

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openWindow();
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('will-quit', () => {
    fs.rmSync(tempDir, { recursive: true, force: true });
  });

  void app.whenReady().then(() => {
    serveAppProtocol(session.defaultSession, rendererDir);
    restrictPermissions(session.defaultSession);
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        buildMenuTemplate(
          {
            command: sendMenuCommand,
            openExternal: (url) => {
              if (isAllowedExternalUrl(url)) void shell.openExternal(url);
            },
          },
          { platform: process.platform, appName: app.name, developer: !app.isPackaged },
        ),
      ),
    );
    openWindow();
  });
}

/** For electron-binary.test.ts: proves the window painted app:// with window.flowgif, then quits. */
function smokeTest(window: BrowserWindow): void {
  window.once('ready-to-show', () => {
    void window.webContents
      .executeJavaScript("Object.keys(window.flowgif ?? {}).sort().join(',')")
      .then((keys: unknown) => {
        process.stdout.write(`flowgif-smoke: ready ${window.webContents.getURL()} api=${String(keys)}\n`);
        app.quit();
      });
  });
}
