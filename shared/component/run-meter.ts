/**
 * A request's running time, as the host sees it between the guest's waits. A loop of awaits or
 * of zero-delay timers spends little fuel per turn (most of each turn is the host's promise
 * machinery), and every turn suspends the guest (JSPI) and resumes it from a microtask, so the
 * host's timers, its deadline among them, would never fire. Each wait is therefore a checkpoint:
 * the time since the guest last resumed is charged to the request, past the budget the wait
 * fails (the guest traps, the request is answered 504), and at least every few milliseconds the
 * wait lets the host's own tasks in: other requests, timers.
 */
import { ComponentTrap } from './errors.ts';

export class RunMeter {
  readonly #budgetMs: number;
  #spentMs = 0;
  #resumedAt = Date.now();

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

  resume(): void {
    this.#resumedAt = Date.now();
  }
}

/** How long the guest may keep the host from its own tasks. */
const SLICE_MS = 10;
let sliceStart = Date.now();
let tickPending = false;

/** Resolves at once, unless the host has not run a task of its own for a slice: then after one. */
export async function letHostIn(): Promise<void> {
  if (!tickPending) {
    tickPending = true;
    // When this runs, the host's task queue is moving: a new slice starts.
    setTimeout(() => {
      tickPending = false;
      sliceStart = Date.now();
    }, 0);
  }
  if (Date.now() - sliceStart < SLICE_MS) return;
  await new Promise((resolve) => setTimeout(resolve, 0));
}
