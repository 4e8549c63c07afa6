/**
 * A request's running time, as the host sees it between the guest's waits. A loop of awaits or
 * of zero-delay timers spends little fuel per turn (most of each turn is the host's promise
 * machinery), and every turn suspends the guest (JSPI) and resumes it from a microtask, so the
 * host's deadline could come late. Each wait is therefore a checkpoint: the time since the guest
 * last resumed is charged to the request, and past the budget the wait fails (the guest traps,
 * the request is answered 504). A wait does not yield to the host by itself: a body finished
 * before the guest's first real wait must still go out whole, with its length.
 */
import { ComponentTrap } from './errors.ts';

/** What the host learns of the guest's waits. */
export interface GuestWaits {
  /** Calls `listener` once, when the guest next suspends on a host function's answer. */
  onNextWait(listener: () => void): void;
  /** Suspended only to share the thread, not waiting on the host. */
  yielding(): boolean;
}

export class RunMeter implements GuestWaits {
  readonly #budgetMs: number;
  #spentMs = 0;
  #resumedAt = Date.now();
  #yielding = false;
  #onWait: (() => void) | undefined;
  #onFirstWait: (() => void) | undefined;

  constructor(budgetMs: number) {
    this.#budgetMs = budgetMs;
  }

  /** The guest is about to wait: charge what it ran since it last resumed; throws past the budget. */
  suspend(): void {
    this.#spentMs += Date.now() - this.#resumedAt;
    if (this.#spentMs > this.#budgetMs) {
      throw new ComponentTrap(`the request ran for more than ${this.#budgetMs / 1000} s of its CPU budget (a loop that never ends?) and was stopped`, { code: 'timeout' });
    }
  }

  /** The guest's time slice is over: it waits for nothing but its next turn (see time-slices.ts). */
  yieldTurn(): void {
    this.suspend();
    this.#yielding = true;
    this.#waited();
  }

  /** Calls `listener` once, when the guest first waits on the host or yields the thread. */
  onFirstWait(listener: () => void): void {
    this.#onFirstWait = listener;
  }

  #waited(): void {
    const listener = this.#onFirstWait;
    if (!listener) return;
    this.#onFirstWait = undefined;
    listener();
  }

  onNextWait(listener: () => void): void {
    this.#onWait = listener;
  }

  /** The guest suspends on a host function's answer: tells who asked. */
  waiting(): void {
    this.#waited();
    const listener = this.#onWait;
    this.#onWait = undefined;
    listener?.();
  }

  yielding(): boolean {
    return this.#yielding;
  }

  resume(): void {
    this.#resumedAt = Date.now();
    this.#yielding = false;
  }
}
