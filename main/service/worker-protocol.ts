/**
 * How the engine process and its parent talk: wire.ts envelopes (requests with ids, responses,
 * job events) plus one control message, over whichever channel the process was started with.
 * Structured clone carries them either way, so typed arrays arrive as typed arrays.
 */
import type { ServerMessage, WireRequest } from '../../shared/ipc/wire.js';

/** Asks the engine to cancel its jobs (so encoders delete their temp files) and exit. */
export interface ShutdownMessage {
  readonly type: 'shutdown';
}

export type ParentMessage = WireRequest | ShutdownMessage;
export type WorkerMessage = ServerMessage;

/** One end of the channel: post messages, hear them. */
export interface PortLike {
  post(message: unknown): void;
  onMessage(listener: (message: unknown) => void): () => void;
}

/** Electron's utilityProcess side, typed here so this module never imports electron. */
interface ElectronParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  off(event: 'message', listener: (event: { data: unknown }) => void): unknown;
}

/**
 * The parent's end as seen from inside the worker: process.parentPort when Electron started us
 * as a utilityProcess, process.send when Node forked us; undefined when run by hand.
 */
export function parentPort(): PortLike | undefined {
  const electron = (process as unknown as { parentPort?: ElectronParentPort }).parentPort;
  if (electron !== undefined) {
    return {
      post: (message) => electron.postMessage(message),
      onMessage(listener) {
        const handler = (event: { data: unknown }): void => listener(event.data);
        electron.on('message', handler);
        return () => electron.off('message', handler);
      },
    };
  }
  const send = process.send?.bind(process);
  if (send === undefined) return undefined;
  return {
    post: (message) => {
      // The parent may be gone already; its exit handling reports that, not an uncaught error here.
      if (process.connected) send(message, undefined, {}, () => {});
    },
    onMessage(listener) {
      process.on('message', listener);
      return () => process.off('message', listener);
    },
  };
}

/** `--key=value` arguments, then FLOWGIF_KEY environment variables, for the engine's folders. */
export function workerSetting(argv: readonly string[], env: NodeJS.ProcessEnv, key: string): string | undefined {
  const prefix = `--${key}=`;
  const arg = argv.find((a) => a.startsWith(prefix));
  if (arg !== undefined) return arg.slice(prefix.length);
  const value = env[`FLOWGIF_${key.toUpperCase().replace(/-/g, '_')}`];
  return value === undefined || value === '' ? undefined : value;
}
