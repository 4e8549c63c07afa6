/**
 * Fresh instances without paying for instantiation on every request.
 *
 * Instantiating a JS engine component costs milliseconds and megabytes of garbage. Instead,
 * an instance's state is captured right after instantiation (see instance-snapshot.ts) and, once
 * a request completes normally, what the request changed is written back: the next request sees
 * exactly what a new instance would see. Any instance that failed, grew its memory or outlived its
 * budget of requests is thrown away and replaced by a genuinely new one.
 */
import { buildImports, type InstanceContext } from './imports.ts';
import { fuelExport } from './fuel.ts';
import { HostCallBudget } from './host-call-budget.ts';
import { instantiateFresh, type LoadedComponent } from './instantiate.ts';
import { CoreLinker } from './core-linker.ts';
import { captureSnapshot, restoreSnapshot, type InstanceSnapshot } from './instance-snapshot.ts';
import { TimeSlices, type NextTurn, type StopReason } from './time-slices.ts';
import { handleTablesKey, type HandleTables } from './glue-rewrite.ts';

function fuelOf(linker: CoreLinker): WebAssembly.Global[] {
  return linker.cores.flatMap((c) => (c.exports[fuelExport] instanceof WebAssembly.Global ? [c.exports[fuelExport]] : []));
}

class PooledInstance {
  readonly exports: Record<string, unknown>;
  readonly #snapshot: InstanceSnapshot;
  readonly #slot: { ctx: InstanceContext | undefined };
  readonly #fuel: WebAssembly.Global[];
  readonly #hostCalls: HostCallBudget;
  readonly #slices: TimeSlices;
  /** Fuel of modules without a checkpoint: the whole budget at once, trapping at zero. */
  readonly #wholeFuel: readonly WebAssembly.Global[];
  /** The glue's resource tables, put back with the memory (absent in glue prepared without them). */
  readonly #handleTables: HandleTables | undefined;
  /** The guest may suspend without the request's meter being told (core-linker.ts). */
  readonly waitsUnseen: boolean;
  uses = 0;

  constructor(exports: Record<string, unknown>, linker: CoreLinker, slot: { ctx: InstanceContext | undefined }, hostCalls: HostCallBudget, slices: TimeSlices, sibling?: InstanceSnapshot) {
    this.exports = exports;
    this.#slot = slot;
    this.#snapshot = captureSnapshot(linker, sibling);
    this.#fuel = fuelOf(linker);
    this.#hostCalls = hostCalls;
    this.#slices = slices;
    this.#wholeFuel = linker.fuelWithoutCheckpoint;
    this.waitsUnseen = linker.waitsUnseen;
    slices.meter(this.#fuel.filter((g) => !this.#wholeFuel.includes(g)));
    this.#handleTables = (exports as Record<symbol, HandleTables | undefined>)[handleTablesKey];
    this.#handleTables?.capture();
  }

  /** Its state right after instantiation. */
  get snapshot(): InstanceSnapshot {
    return this.#snapshot;
  }

  /** Why the request was stopped for its CPU budget, if it was. */
  stopped(): StopReason | undefined {
    const reason = this.#slices.stopped();
    if (reason !== undefined || !this.#wholeFuel.some((g) => g.value === 0n)) return reason;
    return this.#hostCalls.exceeded() ? 'host-calls' : 'fuel';
  }

  /** Cuts a discarded instance off from its request: any later host call fails. */
  abandon(): void {
    this.#slot.ctx = undefined;
    this.#hostCalls.stop();
    this.#slices.stop();
  }

  serve(ctx: InstanceContext): void {
    this.#slot.ctx = ctx;
    this.uses++;
    this.#hostCalls.start(ctx.maxHostCalls, this.#fuel);
    for (const fuel of this.#wholeFuel) fuel.value = ctx.fuel;
    this.#slices.start(ctx.fuel, ctx.meter);
    // The guest starts running now: what came before (instance creation) is the host's time.
    ctx.meter.resume();
  }

  /** Writes the captured state back (the instance is abandoned first, when given back); false when that cannot make it new again. */
  restore(): boolean {
    if (!restoreSnapshot(this.#snapshot)) return false;
    this.#handleTables?.restore();
    return true;
  }
}

export interface PoolOptions {
  /** Reuse restored instances (true) or instantiate anew for every request (false). */
  reuse: boolean;
  /** Instances alive at once per component; further requests wait for one to be free. */
  maxInstances: number;
  /** Requests one instance serves before it is replaced, bounding any host-side leak. */
  maxUses: number;
  /** How a guest that ran its slice yields to the host (see time-slices.ts); a host-neutral macrotask by default. */
  nextTurn?: NextTurn;
  /**
   * When given, an instance given back is reset on this turn instead of at once: after the
   * response has gone out, in time the host would otherwise wait for the next request. A
   * request that needs the instance before then resets it itself.
   */
  resetLater?: NextTurn;
}

export const defaultPoolOptions: PoolOptions = { reuse: true, maxInstances: 4, maxUses: 10_000 };

export interface Lease {
  exports: Record<string, unknown>;
  /** The guest may wait without its request's meter hearing of it: its deadline must run from the start. */
  waitsUnseen: boolean;
  /** Why the request was stopped for its CPU budget (a loop that never ends), if it was. */
  stopped(): StopReason | undefined;
  /** `healthy` is false when the request failed: the instance is then discarded. */
  release(healthy: boolean): void;
}

export class InstancePool {
  readonly #component: LoadedComponent;
  readonly #options: PoolOptions;
  readonly #idle: PooledInstance[] = [];
  /** Given back healthy, not yet reset (with `resetLater`). */
  readonly #unreset: PooledInstance[] = [];
  readonly #waiting: Array<() => void> = [];
  #alive = 0;
  /** The state of the pool's first instance: later ones share its memory images where they can (captureSnapshot). */
  #first: InstanceSnapshot | undefined;

  constructor(component: LoadedComponent, options: Partial<PoolOptions> = {}) {
    this.#component = component;
    this.#options = { ...defaultPoolOptions, ...options };
  }

  /** Whether `acquire` has an instance at hand, or must wait for one (made, or given back). */
  get ready(): boolean {
    return this.#idle.length > 0 || this.#unreset.length > 0;
  }

  async acquire(ctx: InstanceContext): Promise<Lease> {
    while (!this.ready && this.#alive >= this.#options.maxInstances) {
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    }
    let instance = this.#idle.pop() ?? this.#resetOne();
    if (!instance) {
      this.#alive++;
      try {
        instance = await this.#create();
      } catch (err) {
        this.#free();
        throw err;
      }
    }
    instance.serve(ctx);
    const leased = instance;
    let released = false;
    return {
      exports: leased.exports,
      waitsUnseen: leased.waitsUnseen,
      stopped: () => leased.stopped(),
      release: (healthy) => {
        if (released) return;
        released = true;
        const keep = healthy && this.#options.reuse && leased.uses < this.#options.maxUses;
        leased.abandon();
        // A failed instance may still be suspended mid-call: it is abandoned, never restored.
        if (!keep) return this.#free();
        this.#unreset.push(leased);
        const later = this.#options.resetLater;
        if (!later) return this.#resetAll();
        if (this.#unreset.length === 1) void later().then(() => this.#resetAll());
        // A request waiting for an instance can take this one and reset it itself.
        this.#waiting.shift()?.();
      },
    };
  }

  /** An instance given back, reset now; undefined when there is none (or it could not be reset). */
  #resetOne(): PooledInstance | undefined {
    const instance = this.#unreset.pop();
    if (!instance || instance.restore()) return instance;
    this.#free();
    return undefined;
  }

  /** Resets every instance given back; each one reset wakes a waiting request (#free does for one that could not be). */
  #resetAll(): void {
    while (this.#unreset.length > 0) {
      const instance = this.#resetOne();
      if (!instance) continue;
      this.#idle.push(instance);
      this.#waiting.shift()?.();
    }
  }

  /** An instance is gone: room for a new one. */
  #free(): void {
    this.#alive--;
    this.#waiting.shift()?.();
  }

  async #create(): Promise<PooledInstance> {
    const slot: { ctx: InstanceContext | undefined } = { ctx: undefined };
    const current = (): InstanceContext => {
      if (!slot.ctx) throw new Error('a component instance was called outside of a request');
      return slot.ctx;
    };
    const hostCalls = new HostCallBudget();
    const slices = new TimeSlices(hostCalls, this.#component.sync !== true, this.#options.nextTurn);
    const linker = new CoreLinker(
      () => {
        hostCalls.call();
        slices.hostCall();
      },
      slices,
      () => slot.ctx?.meter.waiting(),
    );
    const exports = await instantiateFresh(this.#component, buildImports(current), linker);
    const instance = new PooledInstance(exports, linker, slot, hostCalls, slices, this.#first);
    this.#first ??= instance.snapshot;
    return instance;
  }
}
