/**
 * Commands the Electron shell's application menu sends to the renderer. Kept apart from
 * contract.ts because only the Electron host has a native menu; the web host never sends them.
 * The renderer answers a command with ordinary requests (dialog:open-image, image:open, …).
 */
export const MENU_COMMAND_CHANNEL = 'menu:command';

export const menuCommands = ['open-image', 'open-project', 'save-project', 'save-project-as', 'export'] as const;

export type MenuCommand = (typeof menuCommands)[number];

export function isMenuCommand(value: unknown): value is MenuCommand {
  return typeof value === 'string' && (menuCommands as readonly string[]).includes(value);
}

/** What the Electron preload adds to FlowGifApi; the renderer feature-detects it. */
export interface MenuCommandApi {
  /** Returns the unsubscribe function its owner calls on teardown. */
  onDidMenuCommand(listener: (command: MenuCommand) => void): () => void;
}
