/**
 * A request's calls to the host are counted against a budget of their own. A loop iteration
 * that calls the host costs far more than its own instructions: a loop of awaits in a JS engine
 * reads the clock once per turn of its job queue and spends only a handful of loop iterations
 * doing so, so its fuel would last for minutes while the host does the real work of every call.
 * Past the budget the instance's fuel is emptied: at its next loop iteration the guest checks in
 * with the host (see time-slices.ts), which stops it there, and no exception has to cross it.
 * Waits are not counted.
 */
export class HostCallBudget {
  #made = 0;
  #max = Infinity;
  #fuel: readonly WebAssembly.Global[] = [];

  /** A new request: `max` calls from now on, spending from these fuel globals. */
  start(max: number, fuel: readonly WebAssembly.Global[]): void {
    this.#made = 0;
    this.#max = max;
    this.#fuel = fuel;
  }

  /** Calls made outside of a request (instantiation) are the host's own: not counted. */
  stop(): void {
    this.#max = Infinity;
    this.#fuel = [];
  }

  call(): void {
    if (++this.#made <= this.#max) return;
    for (const global of this.#fuel) global.value = 0n;
  }

  exceeded(): boolean {
    return this.#made > this.#max;
  }
}
