/**
 * Fan-out for events, VS Code style: the owner keeps the Emitter and fires it; everyone else
 * sees only `event`, a subscribe function whose return value unsubscribes.
 */

/** Undoes a subscription; calling it again does nothing. */
export type Disposer = () => void;

export type Event<T> = (listener: (value: T) => void) => Disposer;

export class Emitter<T> {
  /** One object per subscription, so the same function subscribed twice is two subscriptions. */
  readonly #subscriptions = new Set<{ readonly listener: (value: T) => void }>();
  readonly #onListenerError: (error: unknown) => void;

  /** `onListenerError` hears what a listener threw (shared/ has no console to log it on). */
  constructor(onListenerError: (error: unknown) => void) {
    this.#onListenerError = onListenerError;
  }

  readonly event: Event<T> = (listener) => {
    const subscription = { listener };
    this.#subscriptions.add(subscription);
    return () => {
      this.#subscriptions.delete(subscription);
    };
  };

  /**
   * Every listener subscribed when the firing starts hears `value`, even when one throws; what
   * they threw is reported after all have heard it, so a reporter that rethrows starves no one.
   */
  fire(value: T): void {
    const errors: unknown[] = [];
    for (const subscription of [...this.#subscriptions]) {
      // Unsubscribed by an earlier listener of this same firing: it has said it wants no more.
      if (!this.#subscriptions.has(subscription)) continue;
      try {
        subscription.listener(value);
      } catch (error) {
        errors.push(error);
      }
    }
    for (const error of errors) this.#onListenerError(error);
  }
}
