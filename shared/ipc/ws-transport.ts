/**
 * FlowGifApi over a WebSocket: the browser's, or the `ws` package's in Node (tests, tools).
 * Frames are codec.ts binary messages carrying wire.ts envelopes; the requests, answers and job
 * events are rpc-client.ts's, which validates every answer and event before anyone sees it.
 */
import type { SerializedError } from '../errors.js';
import { decodeMessage, encodeMessage } from './codec.js';
import type { FlowGifApi, RequestChannel, RequestPayload, ResponseValue, Result } from './contract.js';
import { Emitter } from './emitter.js';
import { RpcClient } from './rpc-client.js';

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
  /** Fires once when the connection is gone; pending requests have been answered and live jobs failed by then. */
  onDidClose(listener: (error: SerializedError) => void): () => void;
  readonly closed: boolean;
  /** Closes the socket; pending requests are answered, and live jobs fail, with a connection error. */
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

export function createWsTransport(socket: WebSocketLike, options: WsTransportOptions = {}): WsTransport {
  socket.binaryType = 'arraybuffer';
  const report = (error: unknown): void => {
    if (options.onError !== undefined) options.onError(error);
    else throw error;
  };
  const queued: Uint8Array[] = [];
  const client = new RpcClient({
    post: (request) => {
      const frame = encodeMessage(request);
      if (socket.readyState === CONNECTING) queued.push(frame);
      else socket.send(frame);
    },
    onError: report,
  });
  const closes = new Emitter<SerializedError>(report);
  let closedWith: SerializedError | undefined;

  const close = (code: number | undefined, reason: string | undefined): SerializedError => {
    if (closedWith !== undefined) return closedWith;
    const error: SerializedError = {
      name: 'ConnectionLostError',
      // A code, so the page shows the table's title and action (error-table.ts), never a bare
      // "Unexpected error"; the WebSocket close code stays in the message for Copy details.
      code: 'ENGINE_STOPPED',
      message: `This page lost its connection to FlowGIF${code === undefined ? '' : ` (WebSocket close ${code}${reason ? `: ${reason}` : ''})`}.`,
    };
    closedWith = error;
    queued.length = 0;
    // Nothing pending can be answered and no job will report: say so now rather than never.
    client.closed(error);
    closes.fire(error);
    return error;
  };

  socket.addEventListener('open', () => {
    for (const frame of queued.splice(0)) socket.send(frame);
  });
  socket.addEventListener('close', (event) => close(event.code, event.reason));
  socket.addEventListener('message', (event) => {
    let decoded: unknown;
    try {
      const bytes = event.data instanceof ArrayBuffer ? event.data : ArrayBuffer.isView(event.data) ? new Uint8Array(event.data.buffer, event.data.byteOffset, event.data.byteLength) : undefined;
      if (bytes === undefined) throw new TypeError('FlowGIF expects binary frames; got text.');
      decoded = decodeMessage(bytes);
    } catch (error) {
      report(error);
      return;
    }
    client.receive(decoded);
  });

  return {
    get closed() {
      return closedWith !== undefined;
    },
    invoke<C extends RequestChannel>(channel: C, payload: RequestPayload<C>): Promise<Result<ResponseValue<C>>> {
      if (closedWith !== undefined) return Promise.resolve({ ok: false, error: closedWith });
      if (socket.readyState !== CONNECTING && socket.readyState !== OPEN) return Promise.resolve({ ok: false, error: close(undefined, undefined) });
      return client.invoke(channel, payload);
    },
    onDidJobEvent: client.onDidJobEvent,
    onDidClose: closes.event,
    dispose() {
      socket.close(1000, 'closed by the client');
      close(1000, 'closed by the client');
    },
  };
}
