/**
 * Cooperative time-slicing of one instance. A host runs every request of an isolate (workerd:
 * every isolate) on one thread, and nothing can interrupt running Wasm from outside: a guest that
 * never waits would hold the thread until its budget is spent. So fuel is handed out in small
 * grants; each time a module's grant runs out it calls `checkpoint` (see fuel.ts), which charges
 * the grant to the request's budget, stops the request past it, and — once the guest has had its
 * slice — has it yield: the guest suspends (JSPI) until the host's next macrotask, so other
 * requests and isolates get their turn, and resumes where it was.
 *
 * Suspending is only possible when every frame between the `WebAssembly.promising` entry and the
 * checkpoint is Wasm: a call into the guest from JS (the glue lowering a value through
 * `cabi_realloc`, a post-return, a host function calling back) must not yield, or the engine
 * throws. Every function export but the promising entry points is therefore wrapped to count the
 * calls into the guest from JS in progress, and the guest yields only when there are none.
 */
import { Checkpoint } from './fuel.ts';
import type { HostCallBudget } from './host-call-budget.ts';
import type { RunMeter } from './run-meter.ts';
import { ComponentTrap } from './errors.ts';

/** Loop iterations a module gets at a time: a fraction of a millisecond of a JS engine's loop. */
export const fuelGrant = 25_000n;

/**
 * The guest yields once it has run this long since it last did, by whichever measure comes
 * first. Clocks may stand still while code runs (workerd advances them only at I/O), so the fuel
 * spent and the host calls made count too.
 */
export const slice = { ms: 2, fuel: 50_000n, hostCalls: 25 };

/**
 * A request's first slice is longer: a plain request (~40 host calls, less fuel than one grant)
 * finishes within it and never yields, so a body written before its first real wait still goes
 * out whole, with its length.
 */
export const firstSlice = { ms: 5, fuel: 250_000n, hostCalls: 200 };

/** Why a request was stopped at a checkpoint: its fuel, its host calls, or its CPU time. */
export type StopReason = 'fuel' | 'host-calls' | ComponentTrap;

/** The host's next turn: after whatever else is queued (I/O, other requests, other isolates). */
export type NextTurn = () => Promise<void>;

const host = globalThis as { setImmediate?: (f: () => void) => void };

/**
 * A macrotask, host-neutral: setImmediate (Node), else a timer. Not a message: workerd delivers
 * one without returning to its event loop, so other isolates would still wait.
 */
export const nextMacrotask: NextTurn = () =>
  new Promise((resolve) => {
    if (host.setImmediate) host.setImmediate(resolve);
    else setTimeout(resolve, 0);
  });

interface Serving {
  left: bigint;
  meter: RunMeter;
  first: boolean;
}

/** Exports entered through `WebAssembly.promising` by the glue: they must stay Wasm functions. */
const promisedExport = /(^|#)(handle|handle-request|handle-http-request)$/;

export class TimeSlices {
  readonly #suspend: boolean;
  readonly #nextTurn: NextTurn;
  readonly #hostCalls: HostCallBudget;
  #fuel: readonly WebAssembly.Global[] = [];
  #serving: Serving | undefined;
  #stopped: StopReason | undefined;
  /** Calls into the guest from JS in progress. */
  readonly #fromJs = { calls: 0 };
  #since = { at: 0, fuel: 0n, hostCalls: 0 };

  /** `suspend`: the glue is JSPI's, so the guest may be suspended at a checkpoint. */
  constructor(hostCalls: HostCallBudget, suspend: boolean, nextTurn: NextTurn = nextMacrotask) {
    this.#hostCalls = hostCalls;
    this.#suspend = suspend;
    this.#nextTurn = nextTurn;
  }

  /** The instance's fuel globals, once it is instantiated. */
  meter(fuel: readonly WebAssembly.Global[]): void {
    this.#fuel = fuel;
  }

  /** A new request with `total` fuel: each module starts with a grant. */
  start(total: bigint, meter: RunMeter): void {
    this.#serving = { left: total, meter, first: true };
    this.#stopped = undefined;
    this.#since = { at: Date.now(), fuel: 0n, hostCalls: 0 };
    for (const global of this.#fuel) global.value = this.#grant();
  }

  /** The request is over (or abandoned): any checkpoint from now on stops the guest. */
  stop(): void {
    this.#serving = undefined;
  }

  stopped(): StopReason | undefined {
    return this.#stopped;
  }

  /** A call from the guest to the host: past its slice's share, its fuel is emptied so it checks in soon. */
  hostCall(): void {
    if (++this.#since.hostCalls === this.#limit().hostCalls) for (const global of this.#fuel) global.value = 0n;
  }

  /** A module ran out of its grant (`global` at zero). */
  checkpoint(global: WebAssembly.Global | undefined): number {
    const serving = this.#serving;
    // Outside a request (instantiation, a request already cut off), nothing more is given.
    if (!serving || !global) return Checkpoint.trap;
    const spent = fuelGrant;
    serving.left -= spent;
    this.#since.fuel += spent;
    if (this.#hostCalls.exceeded()) return this.#stop('host-calls');
    if (serving.left <= 0n) return this.#stop('fuel');
    global.value = this.#grant();
    if (!this.#suspend || this.#fromJs.calls > 0 || !this.#sliceOver()) return Checkpoint.proceed;
    try {
      serving.meter.yieldTurn();
    } catch (err) {
      return this.#stop(err instanceof ComponentTrap ? err : new ComponentTrap(String(err)));
    }
    return Checkpoint.yield;
  }

  /** The guest yields (`checkpoint` said so): it resumes on the host's next turn. */
  yield(): Promise<void> {
    return this.#nextTurn().then(() => {
      this.#since = { at: Date.now(), fuel: 0n, hostCalls: 0 };
      if (this.#serving) {
        this.#serving.first = false;
        this.#serving.meter.resume();
      }
    });
  }

  /**
   * The exports the glue sees: each function but the promised entry points counts as a call into
   * the guest from JS while it runs. `raw` maps each wrapper back, for linking modules together.
   */
  wrapExports(exports: WebAssembly.Exports, raw: WeakMap<object, WebAssembly.ExportValue>): WebAssembly.Exports {
    const wrapped: Record<string, WebAssembly.ExportValue> = {};
    for (const [name, value] of Object.entries(exports)) {
      if (typeof value !== 'function' || promisedExport.test(name)) {
        wrapped[name] = value;
        continue;
      }
      const fromJs = this.#fromJs;
      const call = value as (...a: unknown[]) => unknown;
      const entry = (...args: unknown[]) => {
        fromJs.calls++;
        try {
          return call(...args);
        } finally {
          fromJs.calls--;
        }
      };
      raw.set(entry, value);
      wrapped[name] = entry;
    }
    return wrapped;
  }

  #grant(): bigint {
    const left = this.#serving?.left ?? 0n;
    return left < fuelGrant ? (left > 0n ? left : 0n) : fuelGrant;
  }

  #limit(): typeof slice {
    return this.#serving?.first === false ? slice : firstSlice;
  }

  #sliceOver(): boolean {
    const limit = this.#limit();
    return this.#since.fuel >= limit.fuel || this.#since.hostCalls >= limit.hostCalls || Date.now() - this.#since.at >= limit.ms;
  }

  #stop(reason: StopReason): number {
    this.#stopped ??= reason;
    return Checkpoint.trap;
  }
}
