import { JOB_EVENT_CHANNEL, requestChannels, type FlowGifApi, type JobMessage, type RequestChannel, type Result } from '../../shared/ipc/contract.js';
import type { FlowGifElectronApi } from '../../shared/ipc/electron-api.js';
import { isMenuCommand, MENU_COMMAND_CHANNEL, type MenuCommand } from '../../shared/ipc/menu.js';

/** ipcRenderer.invoke, reduced to what the API needs, so the generator is testable without Electron. */
export type Invoke = (channel: string, payload: unknown) => Promise<unknown>;
/** ipcRenderer.on + removeListener; the listener gets the payload only, never the IPC event. */
export type Subscribe = (channel: string, listener: (payload: unknown) => void) => () => void;
/** webUtils.getPathForFile. */
export type PathForFile = (file: object) => string;

/**
 * window.flowgif, generated from the contract's channel list: the renderer can invoke exactly
 * requestChannels and listen to exactly job:event and menu:command. Nothing else of ipcRenderer
 * (send, arbitrary channels, the event object whose `sender` is ipcRenderer itself) leaks through.
 */
export function createFlowGifApi(invoke: Invoke, subscribe: Subscribe, pathForFile: PathForFile): FlowGifElectronApi {
  const allowed: ReadonlySet<string> = new Set<string>(requestChannels);
  const api: FlowGifElectronApi = {
    invoke: (async (channel: RequestChannel, payload: unknown): Promise<Result<unknown>> => {
      if (typeof channel !== 'string' || !allowed.has(channel)) {
        return refused(`"${String(channel)}" is not a FlowGIF request channel.`);
      }
      try {
        return (await invoke(channel, payload)) as Result<unknown>;
      } catch (error) {
        // Only reachable when the main process has no handler or the payload cannot be cloned.
        return refused(error instanceof Error ? error.message : String(error));
      }
    }) as FlowGifApi['invoke'],
    onDidJobEvent: (listener: (message: JobMessage) => void) =>
      subscribe(JOB_EVENT_CHANNEL, (payload) => listener(payload as JobMessage)),
    onDidMenuCommand: (listener: (command: MenuCommand) => void) =>
      subscribe(MENU_COMMAND_CHANNEL, (payload) => {
        if (isMenuCommand(payload)) listener(payload);
      }),
    pathForFile: (file: object) => {
      try {
        const found = pathForFile(file);
        return found === '' ? undefined : found;
      } catch {
        // Not a File (or one built in the page from bytes): there is no path to give.
        return undefined;
      }
    },
  };
  return Object.freeze(api);
}

function refused(message: string): Result<never> {
  return { ok: false, error: { name: 'FlowGifError', code: 'IPC_INVALID', message } };
}
