import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MenuItemConstructorOptions } from 'electron';
import { menuCommands, type MenuCommand } from '../../shared/ipc/menu.js';
import { buildMenuTemplate, helpLinks } from './menu-template.js';

function build(platform: NodeJS.Platform, developer = false) {
  const sent: MenuCommand[] = [];
  const opened: string[] = [];
  const template = buildMenuTemplate(
    { command: (command) => sent.push(command), openExternal: (url) => opened.push(url) },
    { platform, appName: 'FlowGIF', developer },
  );
  return { template, sent, opened };
}

function items(menu: MenuItemConstructorOptions | undefined): MenuItemConstructorOptions[] {
  assert.ok(menu !== undefined && Array.isArray(menu.submenu));
  return menu.submenu as MenuItemConstructorOptions[];
}

function click(item: MenuItemConstructorOptions): void {
  (item.click as unknown as () => void)();
}

const topLabels = (template: MenuItemConstructorOptions[]) => template.map((menu) => (menu.label ?? '').replace('&', ''));

describe('buildMenuTemplate', () => {
  for (const platform of ['linux', 'win32', 'darwin'] as const) {
    it(`${platform}: File sends every menu command once, with its accelerator`, () => {
      const { template, sent } = build(platform);
      const file = template.find((menu) => menu.label === '&File');
      const commandItems = items(file).filter((item) => item.id !== undefined);
      assert.deepEqual(
        commandItems.map((item) => item.label),
        ['Open Image…', 'Open Project…', 'Save Project', 'Save Project As…', 'Export…'],
      );
      assert.deepEqual(
        commandItems.map((item) => item.accelerator),
        ['CmdOrCtrl+O', 'CmdOrCtrl+Shift+O', 'CmdOrCtrl+S', 'CmdOrCtrl+Shift+S', 'CmdOrCtrl+E'],
      );
      for (const item of commandItems) click(item);
      assert.deepEqual(sent, [...menuCommands]);
    });
  }

  it('puts Quit at the end of File on Linux and Windows, in the app menu on macOS', () => {
    for (const platform of ['linux', 'win32'] as const) {
      const { template } = build(platform);
      assert.deepEqual(topLabels(template), ['File', 'Edit', 'View', 'Help']);
      assert.equal(items(template[0]).at(-1)?.role, 'quit');
    }
    const { template } = build('darwin');
    assert.deepEqual(topLabels(template), ['FlowGIF', 'File', 'Edit', 'View', 'Help']);
    assert.equal(items(template[0]).at(-1)?.role, 'quit');
    assert.ok(!items(template[1]).some((item) => item.role === 'quit'));
  });

  it('offers developer tools only to unpackaged builds', () => {
    const roles = (developer: boolean) => items(build('linux', developer).template[2]).map((item) => item.role);
    assert.ok(roles(true).includes('toggleDevTools'));
    assert.ok(!roles(false).includes('toggleDevTools'));
    assert.ok(!roles(false).includes('reload'));
  });

  it('Edit has the clipboard roles and Help opens only its links', () => {
    const { template, opened } = build('linux');
    const editRoles = items(template[1]).map((item) => item.role).filter(Boolean);
    assert.deepEqual(editRoles, ['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll']);
    for (const item of items(template[3])) if (item.click !== undefined) click(item);
    assert.deepEqual(opened, [helpLinks.flowMatching, helpLinks.ffjord]);
  });
});
