/**
 * The one request/answer client every transport is built on: the WebSocket of the web host
 * (ws-transport.ts), the engine process seen from Node (WorkerClient) and from Electron's shell
 * (ServiceHost), and the Electron preload. It knows no transport: it is handed `post` and is
 * told what arrives (`receive`) and when the far end is gone (`closed`).
 */
import { serializeError, type SerializedError } from '../errors.js';
import type { FlowGifApi, JobKind, JobMessage, RequestChannel, RequestPayload, ResponseValue, Result } from './contract.js';
import { Emitter, type Disposer, type Event } from './emitter.js';
import { JobTable, type ActiveJob, type JobDelivery } from './job-table.js';
import { validateRequest } from './schemas.js';
import { readServerMessage, type WireRequest } from './wire.js';

/** An engine many windows or sockets share: each start names its owner, who alone hears that job. */
export interface SharedEngineApi<Owner> {
  invoke<C extends RequestChannel>(channel: C, payload: RequestPayload<C>, owner?: Owner): Promise<Result<ResponseValue<C>>>;
  /**
   * The events of the jobs `owner` started. Those that overtook the answer starting their job
   * wait for it and follow it, a microtask after the answer is given.
   */
  onDidOwnJobEvent(owner: Owner, listener: (message: JobMessage) => void): Disposer;
}

export interface RpcClientOptions {
  /** Hands a request to the far end. A throw or a rejection answers the request with that error. */
  readonly post: (request: WireRequest) => void | Promise<void>;
  /** A message that is invalid and answers no pending request, or a listener that threw. */
  readonly onError: (error: unknown) => void;
}

interface Pending<Owner> {
  readonly channel: RequestChannel;
  readonly owner: Owner | undefined;
  readonly resolve: (result: Result<unknown>) => void;
}

/**
 * Requests carry an id, so answers may come in any order; each is checked against the schema
 * of its own request's channel. Job events go to every onDidJobEvent listener as they come, and
 * to the owner of their job through onDidOwnJobEvent. When the far end is gone, every pending
 * request is answered and every live job fails, with the error `closed` is given.
 */
export class RpcClient<Owner = never> implements FlowGifApi, SharedEngineApi<Owner> {
  readonly #post: RpcClientOptions['post'];
  readonly #onError: (error: unknown) => void;
  readonly #pending = new Map<number, Pending<Owner>>();
  readonly #jobs = new JobTable<Owner>();
  readonly #events: Emitter<JobMessage>;
  readonly #owned: Emitter<JobDelivery<Owner>>;
  #nextId = 1;

  constructor(options: RpcClientOptions) {
    this.#post = options.post;
    this.#onError = options.onError;
    this.#events = new Emitter(options.onError);
    this.#owned = new Emitter(options.onError);
  }

  invoke<C extends RequestChannel>(channel: C, payload: RequestPayload<C>, owner?: Owner): Promise<Result<ResponseValue<C>>> {
    let request: WireRequest;
    try {
      // A bad payload is this side's bug: say so here rather than after a round trip.
      request = { type: 'request', id: this.#nextId++, channel, payload: validateRequest(channel, payload) };
    } catch (error) {
      return Promise.resolve({ ok: false, error: serializeError(error) });
    }
    return new Promise((resolve) => {
      this.#pending.set(request.id, { channel, owner, resolve: resolve as (result: Result<unknown>) => void });
      const failed = (error: unknown): void => this.#settle(request.id, { ok: false, error: serializeError(error) });
      try {
        Promise.resolve(this.#post(request)).catch(failed);
      } catch (error) {
        failed(error);
      }
    });
  }

  /** Every job event, as it arrives. */
  readonly onDidJobEvent: Event<JobMessage> = (listener) => this.#events.event(listener);

  onDidOwnJobEvent(owner: Owner, listener: (message: JobMessage) => void): Disposer {
    return this.#owned.event((delivery) => {
      if (delivery.owner === owner) listener(delivery.message);
    });
  }

  /** Jobs the far end has not reported ended, learnt from start answers and events. */
  activeJobs(kind?: JobKind): ActiveJob[] {
    return this.#jobs.active(kind);
  }

  /** A message from the far end: an answer or a job event, checked before anyone sees it. */
  receive(raw: unknown): void {
    let message;
    try {
      message = readServerMessage(raw, (id) => this.#pending.get(id)?.channel);
    } catch (error) {
      // The far end broke the contract: answer the request it was for rather than leave it hanging.
      const id = (raw as { id?: unknown } | null)?.id;
      if (typeof id === 'number' && this.#pending.has(id)) this.#settle(id, { ok: false, error: serializeError(error) });
      else this.#onError(error);
      return;
    }
    if (message.type === 'response') {
      this.#settle(message.id, message.result);
      return;
    }
    this.#events.fire(message.message);
    this.#deliver(this.#jobs.observe(message.message));
  }

  /** The far end is gone: nothing pending will be answered, no live job will report, but with `error`. */
  closed(error: SerializedError): void {
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const entry of pending) entry.resolve({ ok: false, error });
    const { failures, deliveries } = this.#jobs.failAll(error);
    for (const failure of failures) this.#events.fire(failure);
    this.#deliver(deliveries);
  }

  #settle(id: number, result: Result<unknown>): void {
    const pending = this.#pending.get(id);
    if (pending === undefined) return;
    this.#pending.delete(id);
    const overtaken = this.#jobs.started(pending.channel, result, pending.owner);
    pending.resolve(result);
    // A microtask later: whoever awaits the answer (to pass it on to the owner) goes first.
    if (overtaken !== undefined) void Promise.resolve().then(() => this.#deliver(this.#jobs.release(overtaken)));
  }

  #deliver(deliveries: readonly JobDelivery<Owner>[]): void {
    for (const delivery of deliveries) if (delivery.owner !== undefined) this.#owned.fire(delivery);
  }
}
