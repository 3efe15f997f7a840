/**
 * The web page's FlowGifApi across restarts of its host: when the WebSocket closes, the page is
 * told (the banner says FlowGIF stopped), then a new socket is tried every few seconds; once one
 * opens, requests go to it and the page is told again, to reopen what the new engine lacks.
 * Job listeners stay subscribed throughout. While disconnected every request answers
 * ENGINE_STOPPED at once, as the closed transport does.
 */
import type { SerializedError } from '../errors.js';
import type { FlowGifApi, JobMessage, RequestChannel, RequestPayload, ResponseValue, Result } from './contract.js';
import { Emitter } from './emitter.js';
import { createWsTransport, type WebSocketLike, type WsTransport } from './ws-transport.js';

export interface ReconnectingTransport extends FlowGifApi {
  /** The connection is gone: pending requests were answered and live jobs failed by then. */
  onDidDisconnect(listener: (error: SerializedError) => void): () => void;
  /** A new connection is up: the engine behind it is a new one, with none of the old ids. */
  onDidReconnect(listener: () => void): () => void;
  readonly connected: boolean;
  /** Closes the socket and stops trying. */
  dispose(): void;
}

export interface ReconnectOptions {
  /** A new socket to the same host (the cookie that let the first one in goes with it). */
  readonly open: () => WebSocketLike;
  /** Milliseconds before each try; the last repeats. Default: soon, then every 2 s. */
  readonly retryMs?: readonly number[];
  /** Where a throwing listener or a bad message goes (shared/ has no console). */
  readonly onError: (error: unknown) => void;
  /** setTimeout and clearTimeout, or the test's own. */
  readonly timers: { readonly set: (run: () => void, ms: number) => unknown; readonly clear: (handle: unknown) => void };
}

const DEFAULT_RETRY_MS = [250, 1000, 2000];

export function createReconnectingTransport(first: WsTransport, options: ReconnectOptions): ReconnectingTransport {
  const { onError: report, timers } = options;
  const retryMs = options.retryMs ?? DEFAULT_RETRY_MS;
  const jobs = new Emitter<JobMessage>(report);
  const disconnects = new Emitter<SerializedError>(report);
  const reconnects = new Emitter<void>(report);
  let current = first;
  let connected = !first.closed;
  let disposed = false;
  let timer: unknown;
  let trying: WebSocketLike | undefined;

  const adopt = (transport: WsTransport): void => {
    current = transport;
    transport.onDidJobEvent((message) => jobs.fire(message));
    transport.onDidClose((error) => {
      if (disposed || transport !== current) return;
      connected = false;
      disconnects.fire(error);
      retry(0);
    });
  };

  const retry = (attempt: number): void => {
    timer = timers.set(() => {
      timer = undefined;
      if (disposed) return;
      let socket: WebSocketLike;
      try {
        socket = options.open();
      } catch (error) {
        report(error);
        retry(attempt + 1);
        return;
      }
      trying = socket;
      let settled = false;
      socket.addEventListener('open', () => {
        if (settled) return;
        settled = true;
        trying = undefined;
        if (disposed) return socket.close(1000, 'closed by the client');
        adopt(createWsTransport(socket, { onError: report }));
        connected = true;
        reconnects.fire();
      });
      // Refused (the host is still down, or it has another key): try again later.
      socket.addEventListener('close', () => {
        if (settled) return;
        settled = true;
        trying = undefined;
        if (!disposed) retry(attempt + 1);
      });
    }, retryMs[Math.min(attempt, retryMs.length - 1)] ?? 2000);
  };

  adopt(first);

  return {
    get connected() {
      return connected;
    },
    invoke<C extends RequestChannel>(channel: C, payload: RequestPayload<C>): Promise<Result<ResponseValue<C>>> {
      return current.invoke(channel, payload);
    },
    onDidJobEvent: jobs.event,
    onDidDisconnect: disconnects.event,
    onDidReconnect: (listener) => reconnects.event(() => listener()),
    dispose() {
      disposed = true;
      if (timer !== undefined) timers.clear(timer);
      trying?.close(1000, 'closed by the client');
      current.dispose();
    },
  };
}
