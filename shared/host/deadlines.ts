/**
 * When a request runs out of time. A timer per request is what every host allows, but arming
 * and clearing one costs a service worker more than a small component's whole answer; where a
 * timer may outlive the request that armed it (a browser, Node — not workerd, whose timers
 * belong to their request), one timer serves every request in flight.
 */

export interface Deadlines {
  /** Calls `expired` after `ms`, unless the returned cancel is called first. */
  start(ms: number, expired: () => void): () => void;
}

/** A timer of its own for each request. */
export const timerPerRequest: Deadlines = {
  start(ms, expired) {
    const timer = setTimeout(expired, ms);
    return () => clearTimeout(timer);
  },
};

/**
 * One timer for all: armed for the earliest deadline, it fires, calls what expired and arms
 * again for the earliest left. Requests that end in time only leave and join a set.
 */
export class SharedDeadlines implements Deadlines {
  readonly #pending = new Map<object, { at: number; expired: () => void }>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timerAt = Infinity;

  start(ms: number, expired: () => void): () => void {
    const key = {};
    const at = Date.now() + ms;
    this.#pending.set(key, { at, expired });
    if (at < this.#timerAt) this.#arm(at);
    return () => this.#pending.delete(key);
  }

  #arm(at: number): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timerAt = at;
    this.#timer = setTimeout(() => this.#fire(), Math.max(0, at - Date.now()));
    // A pending deadline alone must not keep a Node process alive (its request does, if running).
    (this.#timer as { unref?: () => void }).unref?.();
  }

  #fire(): void {
    this.#timer = undefined;
    this.#timerAt = Infinity;
    const now = Date.now();
    let next = Infinity;
    for (const [key, deadline] of this.#pending) {
      if (deadline.at <= now) {
        this.#pending.delete(key);
        deadline.expired();
      } else next = Math.min(next, deadline.at);
    }
    if (next !== Infinity) this.#arm(next);
  }
}
