/**
 * FlowGifApi over a WebSocket: the browser's, or the `ws` package's in Node (tests, tools).
 * Frames are codec.ts binary messages carrying wire.ts envelopes; every answer and event is
 * validated before anyone sees it.
 */
import { serializeError, type SerializedError } from '../errors.js';
import { decodeMessage, encodeMessage } from './codec.js';
import type { FlowGifApi, JobMessage, RequestChannel, RequestPayload, ResponseValue, Result } from './contract.js';
import { validateRequest } from './schemas.js';
import { readServerMessage, type WireRequest } from './wire.js';

/** The part of a WebSocket this transport uses; the DOM's WebSocket and `ws` both fit. */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { readonly data: unknown }) => void): void;
  addEventListener(type: 'close', listener: (event: { readonly code?: number; readonly reason?: string }) => void): void;
}

export interface WsTransport extends FlowGifApi {
  /** Fires once when the connection is gone; pending requests have been answered by then. */
  onDidClose(listener: (error: SerializedError) => void): () => void;
  readonly closed: boolean;
  /** Closes the socket; pending requests are answered with a connection error. */
  dispose(): void;
}

export interface WsTransportOptions {
  /**
   * Where a listener's exception or an invalid server message goes. Default: thrown after every
   * listener has had the message, so the browser logs it as an uncaught error.
   */
  readonly onError?: (error: unknown) => void;
}

const CONNECTING = 0;
const OPEN = 1;

interface Pending {
  readonly channel: RequestChannel;
  readonly resolve: (result: Result<unknown>) => void;
}

export function createWsTransport(socket: WebSocketLike, options: WsTransportOptions = {}): WsTransport {
  socket.binaryType = 'arraybuffer';
  const pending = new Map<number, Pending>();
  const jobListeners = new Set<(message: JobMessage) => void>();
  const closeListeners = new Set<(error: SerializedError) => void>();
  const queued: Uint8Array[] = [];
  let nextId = 1;
  let closedWith: SerializedError | undefined;

  const report = (error: unknown): void => {
    if (options.onError !== undefined) options.onError(error);
    else throw error;
  };

  const close = (code: number | undefined, reason: string | undefined): void => {
    if (closedWith !== undefined) return;
    closedWith = {
      name: 'ConnectionLostError',
      message: `The connection to the FlowGIF engine closed${code === undefined ? '' : ` (code ${code}${reason ? `: ${reason}` : ''})`}.`,
      hint: 'Restart FlowGIF (npm run web) and reload the page.',
    };
    queued.length = 0;
    const error = closedWith;
    // Requests can no longer be answered: answer them now, as failures, rather than never.
    for (const entry of pending.values()) entry.resolve({ ok: false, error });
    pending.clear();
    for (const listener of [...closeListeners]) listener(error);
  };

  socket.addEventListener('open', () => {
    for (const frame of queued.splice(0)) socket.send(frame);
  });
  socket.addEventListener('close', (event) => close(event.code, event.reason));
  socket.addEventListener('message', (event) => {
    let message;
    try {
      const bytes = event.data instanceof ArrayBuffer ? event.data : ArrayBuffer.isView(event.data) ? new Uint8Array(event.data.buffer, event.data.byteOffset, event.data.byteLength) : undefined;
      if (bytes === undefined) throw new TypeError('FlowGIF expects binary frames; got text.');
      message = readServerMessage(decodeMessage(bytes), (id) => pending.get(id)?.channel);
    } catch (error) {
      report(error);
      return;
    }
    if (message.type === 'response') {
      const entry = pending.get(message.id);
      pending.delete(message.id);
      entry?.resolve(message.result);
      return;
    }
    let failure: { error: unknown } | undefined;
    for (const listener of [...jobListeners]) {
      try {
        listener(message.message);
      } catch (error) {
        failure ??= { error };
      }
    }
    if (failure !== undefined) report(failure.error);
  });

  const send = (frame: Uint8Array): void => {
    if (socket.readyState === CONNECTING) queued.push(frame);
    else socket.send(frame);
  };

  return {
    get closed() {
      return closedWith !== undefined;
    },
    invoke<C extends RequestChannel>(channel: C, payload: RequestPayload<C>): Promise<Result<ResponseValue<C>>> {
      if (closedWith !== undefined) return Promise.resolve({ ok: false, error: closedWith });
      if (socket.readyState !== CONNECTING && socket.readyState !== OPEN) {
        close(undefined, undefined);
        return Promise.resolve({ ok: false, error: closedWith! });
      }
      let request: WireRequest;
      try {
        // A bad payload is this side's bug: say so here rather than after a round trip.
        request = { type: 'request', id: nextId++, channel, payload: validateRequest(channel, payload) };
      } catch (error) {
        return Promise.resolve({ ok: false, error: serializeError(error) });
      }
      return new Promise((resolve) => {
        pending.set(request.id, { channel, resolve: resolve as (result: Result<unknown>) => void });
        send(encodeMessage(request));
      });
    },
    onDidJobEvent(listener) {
      jobListeners.add(listener);
      return () => jobListeners.delete(listener);
    },
    onDidClose(listener) {
      closeListeners.add(listener);
      return () => closeListeners.delete(listener);
    },
    dispose() {
      socket.close(1000, 'closed by the client');
      close(1000, 'closed by the client');
    },
  };
}
