/**
 * The envelopes every message-passing transport uses (the WebSocket of the web host, the
 * worker process): requests carry an id so responses can arrive in any order, and job events
 * travel beside them. Payloads inside are checked by schemas.ts.
 */
import { FlowGifError } from '../errors.js';
import type { JobMessage, RequestChannel, Result } from './contract.js';
import { validateError, validateJobMessage, validateResult } from './schemas.js';

export interface WireRequest {
  readonly type: 'request';
  readonly id: number;
  readonly channel: RequestChannel;
  readonly payload: unknown;
}

export interface WireResponse {
  readonly type: 'response';
  /** The request's id; NO_REQUEST_ID when the frame was too broken to carry one. */
  readonly id: number;
  readonly result: Result<unknown>;
}

export interface WireJob {
  readonly type: 'job';
  readonly message: JobMessage;
}

export type ServerMessage = WireResponse | WireJob;

export const NO_REQUEST_ID = -1;

/** A request's id and raw parts; the channel and payload are checked by validateRequest. */
export function readRequestEnvelope(raw: unknown): { id: number; channel: unknown; payload: unknown } {
  if (typeof raw !== 'object' || raw === null || (raw as { type?: unknown }).type !== 'request') {
    throw new FlowGifError('IPC_INVALID', 'Invalid message: expected { type: "request", id, channel, payload }.');
  }
  const { id, channel, payload } = raw as { id?: unknown; channel?: unknown; payload?: unknown };
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) {
    throw new FlowGifError('IPC_INVALID', 'Invalid message: id must be a whole number ≥ 0.');
  }
  return { id, channel, payload };
}

/**
 * A server's message, checked: responses against the channel of the request they answer
 * (`channelOf` looks it up by id), job events against the JobMessage schema.
 */
export function readServerMessage(raw: unknown, channelOf: (id: number) => RequestChannel | undefined): ServerMessage {
  if (typeof raw !== 'object' || raw === null) throw new FlowGifError('IPC_INVALID', 'Invalid message: expected an object.');
  const message = raw as { type?: unknown; id?: unknown; result?: unknown; message?: unknown };
  if (message.type === 'job') return { type: 'job', message: validateJobMessage(message.message) };
  if (message.type !== 'response' || typeof message.id !== 'number') {
    throw new FlowGifError('IPC_INVALID', 'Invalid message: expected a response or a job event.');
  }
  const channel = channelOf(message.id);
  if (channel === undefined) {
    // An answer to nothing pending (or to a broken frame): keep only a well-formed error.
    const result = message.result as { ok?: unknown; error?: unknown } | undefined;
    if (result?.ok === false) return { type: 'response', id: message.id, result: { ok: false, error: validateError(result.error) } };
    throw new FlowGifError('IPC_INVALID', `Invalid message: a response to unknown request ${message.id}.`);
  }
  return { type: 'response', id: message.id, result: validateResult(channel, message.result) };
}
