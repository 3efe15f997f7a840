/** A WebSocket whose far end is the test, for the transports' tests. */
import { decodeMessage, encodeMessage } from './codec.js';
import type { WireRequest } from './wire.js';
import type { WebSocketLike } from './ws-transport.js';

/** A socket whose far end is the test: it sees each request and answers when told. */
export class FakeSocket implements WebSocketLike {
  binaryType = 'blob';
  readyState = 0;
  readonly sent: WireRequest[] = [];
  private readonly listeners = new Map<string, Array<(event: never) => void>>();

  addEventListener(type: string, listener: (event: never) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  send(data: Uint8Array): void {
    if (this.readyState !== 1) throw new Error('sent before the socket opened');
    this.sent.push(decodeMessage(data) as WireRequest);
  }
  close(code = 1000, reason = ''): void {
    this.readyState = 3;
    this.emit('close', { code, reason });
  }
  open(): void {
    this.readyState = 1;
    this.emit('open', {});
  }
  receive(message: unknown): void {
    const frame = encodeMessage(message);
    this.emit('message', { data: frame.buffer.slice(frame.byteOffset, frame.byteOffset + frame.byteLength) });
  }
  private emit(type: string, event: unknown): void {
    for (const listener of this.listeners.get(type) ?? []) listener(event as never);
  }
}

