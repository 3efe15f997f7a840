/**
 * A client's one view of the far end's jobs, learnt from start answers (contract.ts
 * jobStartChannels) and from job events: which are live, and who started each, so its events
 * go to that window or socket alone. Events may overtake their start answer; those wait here
 * until it arrives and are then handed on, first.
 */
import type { SerializedError } from '../errors.js';
import { jobKindOf, type JobId, type JobKind, type JobMessage, type RequestChannel, type Result } from './contract.js';

export interface ActiveJob {
  readonly jobId: JobId;
  readonly kind: JobKind;
}

/** A job event and the one who started its job (undefined: the start named no one). */
export interface JobDelivery<Owner> {
  readonly message: JobMessage;
  readonly owner: Owner | undefined;
}

interface Entry<Owner> {
  readonly kind: JobKind;
  /** Its start answer has arrived, so its owner is known. */
  answered: boolean;
  owner: Owner | undefined;
  /** Events heard before the start answer, until release() hands them on; later ones queue behind. */
  readonly early: JobMessage[];
  ended: boolean;
}

/**
 * Only a start answer still in flight leaves a job unanswered, so there are few; beyond this
 * many the oldest is forgotten (a trajectory is about 13 MB: no unbounded buffering).
 */
const MAX_UNANSWERED = 64;

export function isJobEnding(message: JobMessage): boolean {
  return message.type === 'done' || message.type === 'failed' || message.type === 'cancelled';
}

export class JobTable<Owner> {
  readonly #jobs = new Map<JobId, Entry<Owner>>();

  /**
   * The answer to a request on `channel`, made for `owner`. When it started a job, the job is
   * known from now on; returns its id when events came before the answer, for release() to hand
   * on once the answer has been passed on.
   */
  started(channel: RequestChannel, result: Result<unknown>, owner: Owner | undefined): JobId | undefined {
    const kind = jobKindOf(channel);
    if (kind === undefined || !result.ok) return undefined;
    const jobId = (result.value as { jobId?: unknown }).jobId;
    if (typeof jobId !== 'string') return undefined;
    const entry = this.#jobs.get(jobId);
    if (entry === undefined) {
      this.#jobs.set(jobId, { kind, answered: true, owner, early: [], ended: false });
      return undefined;
    }
    entry.answered = true;
    entry.owner = owner;
    return jobId;
  }

  /** The events of an answered job that came before its answer, in order; the job is forgotten if they ended it. */
  release(jobId: JobId): JobDelivery<Owner>[] {
    const entry = this.#jobs.get(jobId);
    if (entry === undefined || !entry.answered) return [];
    if (entry.ended) this.#jobs.delete(jobId);
    return entry.early.splice(0).map((message) => ({ message, owner: entry.owner }));
  }

  /** A job event: whom to hand it to now; nothing while its start answer is still to come. */
  observe(message: JobMessage): JobDelivery<Owner>[] {
    let entry = this.#jobs.get(message.jobId);
    if (entry === undefined) {
      entry = { kind: message.kind, answered: false, owner: undefined, early: [], ended: false };
      this.#jobs.set(message.jobId, entry);
      this.#forgetOldUnanswered();
    }
    const ending = isJobEnding(message);
    if (!entry.answered || entry.early.length > 0) {
      entry.early.push(message);
      entry.ended ||= ending;
      return [];
    }
    if (ending) this.#jobs.delete(message.jobId);
    return [{ message, owner: entry.owner }];
  }

  /** Jobs that have not ended: what a user would lose by quitting. */
  active(kind?: JobKind): ActiveJob[] {
    return [...this.#jobs]
      .filter(([, entry]) => !entry.ended && (kind === undefined || entry.kind === kind))
      .map(([jobId, entry]) => ({ jobId, kind: entry.kind }));
  }

  /**
   * The far end is gone: every live job ends `failed` with `error`. Returns those failures, and
   * job by job what owners have still to hear: held-back events, then the failure. A job whose
   * start answer never came has no owner to tell.
   */
  failAll(error: SerializedError): { failures: JobMessage[]; deliveries: JobDelivery<Owner>[] } {
    const failures: JobMessage[] = [];
    const deliveries = [...this.#jobs].flatMap(([jobId, entry]): JobDelivery<Owner>[] => {
      const owner = entry.answered ? entry.owner : undefined;
      const told = [...entry.early];
      if (!entry.ended) {
        const failure: JobMessage = { jobId, kind: entry.kind, type: 'failed', error };
        failures.push(failure);
        told.push(failure);
      }
      return told.map((message) => ({ message, owner }));
    });
    this.#jobs.clear();
    return { failures, deliveries };
  }

  #forgetOldUnanswered(): void {
    const unanswered = [...this.#jobs].filter(([, entry]) => !entry.answered);
    for (const [jobId] of unanswered.slice(0, Math.max(0, unanswered.length - MAX_UNANSWERED))) this.#jobs.delete(jobId);
  }
}
