import { FlowGifError } from '../../shared/errors.js';
import { JOB_EVENT_CHANNEL, type FlowGifApi, type JobMessage } from '../../shared/ipc/contract.js';
import type { FlowGifElectronApi } from '../../shared/ipc/electron-api.js';
import { isMenuCommand, MENU_COMMAND_CHANNEL, type MenuCommand } from '../../shared/ipc/menu.js';
import { RpcClient } from '../../shared/ipc/rpc-client.js';

/** ipcRenderer.invoke, reduced to what the API needs, so the generator is testable without Electron. */
export type Invoke = (channel: string, payload: unknown) => Promise<unknown>;
/** ipcRenderer.on + removeListener; the listener gets the payload only, never the IPC event. */
export type Subscribe = (channel: string, listener: (payload: unknown) => void) => () => void;
/** webUtils.getPathForFile. */
export type PathForFile = (file: object) => string;

/**
 * window.flowgif, generated from the contract: the renderer can invoke exactly requestChannels
 * and listen to exactly job:event and menu:command. Nothing else of ipcRenderer (send,
 * arbitrary channels, the event object whose `sender` is ipcRenderer itself) leaks through.
 *
 * Requests and job events go through rpc-client.ts, the core the other transports use: Electron
 * pairs each invoke with its answer itself, so `post` hands the answer straight back to the
 * core, which checks it against its channel's schema; job events reach the page's listeners
 * through the core's emitter (one ipcRenderer listener for all of them) once checked too.
 */
export function createFlowGifApi(invoke: Invoke, subscribe: Subscribe, pathForFile: PathForFile, onError: (error: unknown) => void = (error) => console.error('FlowGIF preload:', error)): FlowGifElectronApi {
  const client: RpcClient = new RpcClient({
    post: async (request) => {
      let result: unknown;
      try {
        result = await invoke(request.channel, request.payload);
      } catch (error) {
        // Only reachable when the main process has no handler or the payload cannot be cloned.
        throw new FlowGifError('IPC_INVALID', error instanceof Error ? error.message : String(error));
      }
      client.receive({ type: 'response', id: request.id, result });
    },
    onError,
  });
  // For the page's whole life: the core learns every job's start and end from these.
  subscribe(JOB_EVENT_CHANNEL, (payload) => client.receive({ type: 'job', message: payload }));
  const api: FlowGifElectronApi = {
    invoke: ((channel, payload) => client.invoke(channel, payload)) as FlowGifApi['invoke'],
    onDidJobEvent: (listener: (message: JobMessage) => void) => client.onDidJobEvent(listener),
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

/** Preload → shell: absolute paths of files the user just dropped or picked in the page. */
export const CHOSEN_FILES_CHANNEL = 'shell:chosen-files';
/** More than anyone drops at once; a longer report is not a user's. */
const MAX_CHOSEN_FILES = 64;

/** The parts of a DOM event the watcher reads, typed structurally so Node tests can build one. */
export interface ChosenFilesEvent {
  readonly isTrusted: boolean;
  readonly target?: unknown;
  readonly dataTransfer?: { readonly files?: ArrayLike<object> | null } | null;
}

export interface ChosenFilesSource {
  addEventListener(type: 'drop' | 'change', listener: (event: ChosenFilesEvent) => void, options: { capture: boolean }): void;
}

/**
 * Tells the shell which files the user chose in the page itself: dropped on the window, or
 * picked in an <input type=file> (Chromium's own file dialog). The shell grants exactly those
 * as pictures to open, so a path the page merely names is refused. Only the browser's own
 * (trusted) events count: the page cannot fake them, nor see this listener, which runs in the
 * preload's isolated world. Registered in the capture phase on window before any page script
 * runs, it fires before the page's own drop handler sends image:open.
 */
export function watchChosenFiles(source: ChosenFilesSource, pathForFile: PathForFile, send: (paths: string[]) => void): void {
  const report = (files: ArrayLike<object> | null | undefined): void => {
    const paths: string[] = [];
    for (let i = 0; i < Math.min(files?.length ?? 0, MAX_CHOSEN_FILES); i++) {
      const file = files?.[i];
      let found = '';
      try {
        found = file === undefined ? '' : pathForFile(file);
      } catch {
        // A File without a path (built from bytes): nothing to grant.
      }
      if (found !== '') paths.push(found);
    }
    if (paths.length > 0) send(paths);
  };
  source.addEventListener('drop', (event) => {
    if (event.isTrusted) report(event.dataTransfer?.files);
  }, { capture: true });
  source.addEventListener('change', (event) => {
    const input = event.target as { readonly type?: unknown; readonly files?: ArrayLike<object> | null } | null | undefined;
    if (event.isTrusted && typeof input === 'object' && input !== null && input.type === 'file') report(input.files);
  }, { capture: true });
}

/** The shell's side: the report as a list of paths, or nothing if it is not one. */
export function readChosenFiles(payload: unknown): string[] {
  if (!Array.isArray(payload) || payload.length > MAX_CHOSEN_FILES) return [];
  return payload.every((entry): entry is string => typeof entry === 'string' && entry !== '') ? payload : [];
}
