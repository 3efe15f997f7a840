import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../../shared/ipc/menu.js';

export interface MenuActions {
  /** Forwards a command to the renderer, which owns the dialogs' flow and the app state. */
  readonly command: (command: MenuCommand) => void;
  readonly openExternal: (url: string) => void;
}

export interface MenuOptions {
  readonly platform: NodeJS.Platform;
  readonly appName: string;
  /** Reload and developer tools only in unpackaged builds. */
  readonly developer: boolean;
}

export const helpLinks = {
  flowMatching: 'https://arxiv.org/abs/2210.02747',
  ffjord: 'https://github.com/rtqichen/ffjord',
} as const;

/**
 * Plain data (no Electron at run time), so the commands and accelerators are testable.
 * macOS keeps Quit in the app menu, as its users expect; elsewhere it ends the File menu.
 */
export function buildMenuTemplate(actions: MenuActions, options: MenuOptions): MenuItemConstructorOptions[] {
  const mac = options.platform === 'darwin';
  const send = (command: MenuCommand) => () => actions.command(command);
  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { id: 'open-image', label: 'Open Image…', accelerator: 'CmdOrCtrl+O', click: send('open-image') },
      { id: 'open-project', label: 'Open Project…', accelerator: 'CmdOrCtrl+Shift+O', click: send('open-project') },
      { id: 'save-project', label: 'Save Project', accelerator: 'CmdOrCtrl+S', click: send('save-project') },
      { id: 'save-project-as', label: 'Save Project As…', accelerator: 'CmdOrCtrl+Shift+S', click: send('save-project-as') },
      { type: 'separator' },
      { id: 'export', label: 'Export…', accelerator: 'CmdOrCtrl+E', click: send('export') },
      ...(mac ? [{ role: 'close' } as const] : [{ type: 'separator' } as const, { role: 'quit', label: 'Quit' } as const]),
    ],
  };
  const edit: MenuItemConstructorOptions = {
    label: '&Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      ...(options.developer ? [{ role: 'reload' } as const, { role: 'toggleDevTools' } as const, { type: 'separator' } as const] : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  const help: MenuItemConstructorOptions = {
    role: 'help',
    label: '&Help',
    submenu: [
      { label: 'Flow Matching (paper)', click: () => actions.openExternal(helpLinks.flowMatching) },
      { label: 'FFJORD (code)', click: () => actions.openExternal(helpLinks.ffjord) },
      ...(mac ? [] : [{ type: 'separator' } as const, { role: 'about', label: `About ${options.appName}` } as const]),
    ],
  };
  const appMenu: MenuItemConstructorOptions = {
    label: options.appName,
    submenu: [
      { role: 'about' },
      { type: 'separator' },
      { role: 'services' },
      { type: 'separator' },
      { role: 'hide' },
      { role: 'hideOthers' },
      { role: 'unhide' },
      { type: 'separator' },
      { role: 'quit' },
    ],
  };
  return mac ? [appMenu, file, edit, view, help] : [file, edit, view, help];
}
