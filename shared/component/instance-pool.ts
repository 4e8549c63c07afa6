/**
 * Fresh instances without paying for instantiation on every request.
 *
 * Instantiating a JS engine component costs milliseconds and megabytes of garbage. Instead,
 * an instance's state is captured right after instantiation (every exported memory and mutable
 * global) and, once a request completes normally, written back: the next request sees exactly
 * what a new instance would see. Any instance that failed, grew its memory or outlived its
 * budget of requests is thrown away and replaced by a genuinely new one.
 */
import { buildImports, type InstanceContext } from './imports.ts';
import { fuelExport } from './fuel.ts';
import { instantiateFresh, type LoadedComponent } from './instantiate.ts';

interface MemorySnapshot {
  memory: WebAssembly.Memory;
  bytes: Uint8Array;
}
interface GlobalSnapshot {
  global: WebAssembly.Global;
  value: unknown;
}

class PooledInstance {
  readonly exports: Record<string, unknown>;
  readonly #memories: MemorySnapshot[];
  readonly #globals: GlobalSnapshot[];
  readonly #slot: { ctx: InstanceContext | undefined };
  readonly #fuel: WebAssembly.Global[];
  uses = 0;

  constructor(exports: Record<string, unknown>, cores: WebAssembly.Instance[], slot: { ctx: InstanceContext | undefined }) {
    this.exports = exports;
    this.#slot = slot;
    this.#memories = [];
    this.#globals = [];
    this.#fuel = cores.flatMap((c) => (c.exports[fuelExport] instanceof WebAssembly.Global ? [c.exports[fuelExport]] : []));
    for (const core of cores) {
      for (const value of Object.values(core.exports)) {
        if (value instanceof WebAssembly.Memory) {
          if (!this.#memories.some((m) => m.memory === value)) this.#memories.push({ memory: value, bytes: new Uint8Array(value.buffer).slice() });
        } else if (value instanceof WebAssembly.Global) {
          // Immutable globals cannot change; writing one throws, which tells them apart.
          try {
            value.value = value.value;
            this.#globals.push({ global: value, value: value.value });
          } catch {
            /* immutable */
          }
        }
      }
    }
  }

  /** Whether the instance stopped because its request spent the whole CPU budget. */
  outOfFuel(): boolean {
    return this.#fuel.some((g) => g.value === 0n);
  }

  /** Cuts a discarded instance off from its request: any later host call fails. */
  abandon(): void {
    this.#slot.ctx = undefined;
  }

  serve(ctx: InstanceContext): void {
    this.#slot.ctx = ctx;
    this.uses++;
    for (const fuel of this.#fuel) fuel.value = ctx.fuel;
  }

  /** Writes the captured state back; false when that cannot make the instance new again. */
  restore(): boolean {
    this.#slot.ctx = undefined;
    for (const { memory, bytes } of this.#memories) {
      // Memory cannot shrink: an instance that grew is retired.
      if (memory.buffer.byteLength !== bytes.byteLength) return false;
      new Uint8Array(memory.buffer).set(bytes);
    }
    for (const { global, value } of this.#globals) global.value = value;
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
}

export const defaultPoolOptions: PoolOptions = { reuse: true, maxInstances: 4, maxUses: 1000 };

export interface Lease {
  exports: Record<string, unknown>;
  /** Whether the request ran out of its CPU budget (a loop that never ends). */
  outOfFuel(): boolean;
  /** `healthy` is false when the request failed: the instance is then discarded. */
  release(healthy: boolean): void;
}

export class InstancePool {
  readonly #component: LoadedComponent;
  readonly #options: PoolOptions;
  readonly #idle: PooledInstance[] = [];
  readonly #waiting: Array<() => void> = [];
  #alive = 0;

  constructor(component: LoadedComponent, options: Partial<PoolOptions> = {}) {
    this.#component = component;
    this.#options = { ...defaultPoolOptions, ...options };
  }

  async acquire(ctx: InstanceContext): Promise<Lease> {
    while (this.#idle.length === 0 && this.#alive >= this.#options.maxInstances) {
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    }
    let instance = this.#idle.pop();
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
      outOfFuel: () => leased.outOfFuel(),
      release: (healthy) => {
        if (released) return;
        released = true;
        const keep = healthy && this.#options.reuse && leased.uses < this.#options.maxUses;
        // A failed instance may still be suspended mid-call: it is abandoned, never restored.
        if (keep && leased.restore()) {
          this.#idle.push(leased);
          this.#waiting.shift()?.();
        } else {
          leased.abandon();
          this.#free();
        }
      },
    };
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
    const cores: WebAssembly.Instance[] = [];
    const exports = await instantiateFresh(this.#component, buildImports(current), async (module, imports) => {
      const instance = await WebAssembly.instantiate(module, imports);
      cores.push(instance);
      return instance;
    });
    return new PooledInstance(exports, cores, slot);
  }
}
