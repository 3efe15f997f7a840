import { FlowGifError, type SerializedError } from '../../../shared/errors.js';
import type { FlowGifApi } from '../../../shared/ipc/contract.js';
import type { FlowGifElectronApi } from '../../../shared/ipc/electron-api.js';
import type { MenuCommand } from '../../../shared/ipc/menu.js';
import { createReconnectingTransport } from '../../../shared/ipc/reconnecting-transport.js';
import { createWsTransport } from '../../../shared/ipc/ws-transport.js';

declare global {
  interface Window {
    /** Exposed by the Electron preload (contextBridge); absent in the web host. */
    readonly flowgif?: FlowGifApi & Partial<Omit<FlowGifElectronApi, keyof FlowGifApi>>;
  }
}

export type Transport = 'electron' | 'websocket';

export interface Connection {
  readonly api: FlowGifApi;
  readonly transport: Transport;
  /** The path of a dropped or picked File, where the host can tell (Electron). */
  readonly pathForFile: (file: File) => string | undefined;
  /** Native menu commands (Electron); a no-op subscription elsewhere. */
  readonly onDidMenuCommand: (listener: (command: MenuCommand) => void) => () => void;
  /** The host went away (the web host stopped); never fires for Electron's preload. */
  readonly onDidDisconnect: (listener: (error: SerializedError) => void) => () => void;
  /** The web host is back (started again on its port, with its kept key): a new engine, with none of the old ids. */
  readonly onDidReconnect: (listener: () => void) => () => void;
  /** Closes what this module opened; the preload's object is the shell's to manage. */
  readonly close: () => void;
}

const none = (): (() => void) => () => {};

/** The preload's API when Electron provides one, else a WebSocket to the page's own host. */
export async function connect(): Promise<Connection> {
  const preload = window.flowgif;
  if (preload !== undefined) {
    return {
      api: preload,
      transport: 'electron',
      pathForFile: (file) => preload.pathForFile?.(file),
      onDidMenuCommand: (listener) => preload.onDidMenuCommand?.(listener) ?? (() => {}),
      onDidDisconnect: none,
      onDidReconnect: none,
      close: () => {},
    };
  }
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const address = `${scheme}//${location.host}/ipc`;
  const socket = new WebSocket(address);
  await new Promise<void>((resolve, reject) => {
    const settle = (ok: boolean): void => {
      socket.removeEventListener('open', opened);
      socket.removeEventListener('error', failed);
      socket.removeEventListener('close', failed);
      if (ok) resolve();
      else reject(new FlowGifError('ENGINE_STOPPED', `This page could not reach FlowGIF at ${location.host}.`));
    };
    const opened = (): void => settle(true);
    const failed = (): void => settle(false);
    socket.addEventListener('open', opened);
    socket.addEventListener('error', failed);
    socket.addEventListener('close', failed);
  });
  // A bad message or a throwing listener is a bug to log, not a reason to stop the UI.
  const onError = (error: unknown): void => console.error('FlowGIF transport:', error);
  const transport = createReconnectingTransport(createWsTransport(socket, { onError }), {
    open: () => new WebSocket(address),
    onError,
    timers: { set: (run, ms) => setTimeout(run, ms), clear: (handle) => clearTimeout(handle as number) },
  });
  return {
    api: transport,
    transport: 'websocket',
    pathForFile: () => undefined,
    onDidMenuCommand: none,
    onDidDisconnect: (listener) => transport.onDidDisconnect(listener),
    onDidReconnect: (listener) => transport.onDidReconnect(listener),
    close: () => transport.dispose(),
  };
}
