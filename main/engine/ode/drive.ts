import { FlowGifError } from '../../../shared/errors.js';

/** The solver asks for f(t, y) by yielding this and is resumed with the derivative. */
export interface EvalRequest<Y> {
  readonly t: number;
  readonly y: Y;
}

/**
 * A computation that needs derivatives but does not know how they are computed: the solver is
 * written once as such a generator, and a synchronous or an asynchronous driver answers it.
 */
export type Evaluations<Y, R> = Generator<EvalRequest<Y>, R, Y>;

export function* evaluate<Y>(t: number, y: Y): Evaluations<Y, Y> {
  return yield { t, y };
}

/** Passes requests through, counting them: nfe is counted in one place for every method. */
export function* counted<Y, R>(work: Evaluations<Y, R>, stats: { nfe: number }): Evaluations<Y, R> {
  let next = work.next();
  while (!next.done) {
    stats.nfe += 1;
    next = work.next(yield next.value);
  }
  return next.value;
}

function isThenable(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

export function runSync<Y, R>(work: Evaluations<Y, R>, f: (t: number, y: Y) => Y): R {
  let next = work.next();
  while (!next.done) {
    const dydt = f(next.value.t, next.value.y);
    // A promise would otherwise be combined as if it were a state and fail far from here.
    if (isThenable(dydt)) {
      throw new FlowGifError('INVALID_ARGUMENT', 'The right-hand side returned a Promise; use the async solver (integrateAsync).');
    }
    next = work.next(dydt);
  }
  return next.value;
}

export async function runAsync<Y, R>(work: Evaluations<Y, R>, f: (t: number, y: Y) => Y | Promise<Y>): Promise<R> {
  let next = work.next();
  while (!next.done) next = work.next(await f(next.value.t, next.value.y));
  return next.value;
}
