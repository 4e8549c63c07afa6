/**
 * Instantiates a component's core modules for the glue, keeping each instance, and hands a
 * module that imports the dirty-page map of a memory the map its defining module exports.
 * Every call from Wasm into the host's JS (not a wait) is reported to `onHostCall`: see
 * host-call-budget.ts for why it is counted. A module metered with fuel gets its checkpoint
 * (see time-slices.ts), and the glue sees its function exports wrapped to count calls into the
 * guest from JS. A host function that may wait reaches its module through the module's wait
 * point (see wait-points.ts): it suspends the guest only when it answered with a promise.
 */
import { dirtyMapExport, dirtyMapImport } from './write-tracking.ts';
import { Checkpoint, fuelExport, fuelImports } from './fuel.ts';
import type { TimeSlices } from './time-slices.ts';
import { waitImports } from './wait-points.ts';
import { mayWaitKey } from './glue-waits.ts';

interface MemoryImport {
  module: string;
  name: string;
  importsMap: boolean;
}

/** Large enough for the map of any 32-bit memory. */
const orphanMapPages = 17;

const memoryImports = new WeakMap<WebAssembly.Module, MemoryImport[]>();

function memoryImportsOf(module: WebAssembly.Module): MemoryImport[] {
  let found = memoryImports.get(module);
  if (!found) {
    const all = WebAssembly.Module.imports(module).filter((i) => i.kind === 'memory');
    const importsMap = all.some((i) => i.module === dirtyMapImport.module && i.name === dirtyMapImport.name);
    found = all.filter((i) => i.module !== dirtyMapImport.module).map((i) => ({ module: i.module, name: i.name, importsMap }));
    memoryImports.set(module, found);
  }
  return found;
}

/** JSPI's wrapper of a host function that may suspend the guest; not every type library knows it yet. */
const Suspending = (WebAssembly as unknown as { Suspending?: new (fn: (...args: never[]) => unknown) => object }).Suspending;

const importsFuel = new WeakMap<WebAssembly.Module, boolean>();

function meteredWithFuel(module: WebAssembly.Module): boolean {
  let found = importsFuel.get(module);
  if (found === undefined) {
    found = WebAssembly.Module.imports(module).some((i) => i.module === fuelImports.module);
    importsFuel.set(module, found);
  }
  return found;
}

const importsWaits = new WeakMap<WebAssembly.Module, boolean>();

function hasWaitPoints(module: WebAssembly.Module): boolean {
  let found = importsWaits.get(module);
  if (found === undefined) {
    found = WebAssembly.Module.imports(module).some((i) => i.module === waitImports.module);
    importsWaits.set(module, found);
  }
  return found;
}

const mayWait = (value: unknown): value is (...args: unknown[]) => unknown =>
  typeof value === 'function' && (value as unknown as Record<symbol, unknown>)[mayWaitKey] === true;

const thenable = (value: unknown): value is PromiseLike<unknown> =>
  value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as { then?: unknown }).then === 'function';

/** Without a request to charge, a module out of fuel stops, as it always did. */
const noCheckpoint = { [fuelImports.checkpoint]: () => Checkpoint.trap, [fuelImports.yield]: () => {} };

export class CoreLinker {
  /** Every core instance, in instantiation order. */
  readonly cores: WebAssembly.Instance[] = [];
  readonly #onHostCall: (() => void) | undefined;
  readonly #slices: TimeSlices | undefined;
  /** Functions core instances export: a call between two modules is not a host call. */
  readonly #wasmFunctions = new WeakSet<object>();
  /**
   * Fuel globals of modules prepared before checkpoints existed (a browser's stored ones): they
   * trap when their fuel runs out, so they are given the request's whole budget at once.
   */
  readonly fuelWithoutCheckpoint: WebAssembly.Global[] = [];
  /** The export each wrapper the glue was given stands for. */
  readonly #unwrapped = new WeakMap<object, WebAssembly.ExportValue>();
  /** The answer a host function gave as a promise, until the guest's wait point takes it. */
  #pending: PromiseLike<unknown> | undefined;
  /** Host functions that may wait, as the modules get them: a wait is not a host call. */
  readonly #waiting = new WeakSet<object>();
  readonly #waitPoint: WebAssembly.ModuleImports = this.#makeWaitPoint();

  /** Told each time the guest suspends on a host function's answer. */
  readonly #onWait: (() => void) | undefined;
  /**
   * Whether the glue gave a module a function that suspends it by itself (a JSPI import of glue
   * without wait points): such a wait is not told to `onWait`.
   */
  waitsUnseen = false;

  constructor(onHostCall?: () => void, slices?: TimeSlices, onWait?: () => void) {
    this.#onHostCall = onHostCall;
    this.#slices = slices;
    this.#onWait = onWait;
  }
  /** Each memory's dirty-page map, where every module writing it marks the pages it writes. */
  readonly maps = new Map<WebAssembly.Memory, WebAssembly.Memory>();
  /** Memories that a module without tracking may write: they are copied back whole. */
  readonly untracked = new Set<WebAssembly.Memory>();

  readonly instantiate = async (module: WebAssembly.Module, imports: WebAssembly.Imports): Promise<WebAssembly.Instance> => {
    for (const { module: from, name, importsMap } of memoryImportsOf(module)) {
      const memory = imports[from]?.[name];
      if (!(memory instanceof WebAssembly.Memory)) continue;
      const map = this.maps.get(memory);
      if (importsMap && map) imports = { ...imports, [dirtyMapImport.module]: { [dirtyMapImport.name]: map } };
      else {
        this.untracked.add(memory);
        // A map nobody reads: the module still links, and its memory is restored whole.
        if (importsMap) imports = { ...imports, [dirtyMapImport.module]: { [dirtyMapImport.name]: new WebAssembly.Memory({ initial: orphanMapPages }) } };
      }
    }
    imports = this.#unwrap(imports);
    if (this.#onHostCall) imports = this.#reportHostCalls(imports);
    const fuel: { global?: WebAssembly.Global } = {};
    if (meteredWithFuel(module)) imports = { ...imports, [fuelImports.module]: this.#checkpointFor(fuel) };
    if (hasWaitPoints(module)) imports = { ...imports, [waitImports.module]: this.#waitPoint };
    const instance = await WebAssembly.instantiate(module, imports);
    this.cores.push(instance);
    const global = instance.exports[fuelExport];
    if (global instanceof WebAssembly.Global) {
      if (meteredWithFuel(module)) fuel.global = global;
      else this.fuelWithoutCheckpoint.push(global);
    }
    for (const value of Object.values(instance.exports)) if (typeof value === 'function') this.#wasmFunctions.add(value);
    const map = instance.exports[dirtyMapExport];
    if (map instanceof WebAssembly.Memory) {
      for (const value of Object.values(instance.exports)) {
        if (value instanceof WebAssembly.Memory && value !== map) this.maps.set(value, map);
      }
    }
    if (!this.#slices) return instance;
    // The glue reads only `exports`; the instance itself stays in `cores`.
    return { exports: this.#slices.wrapExports(instance.exports, this.#unwrapped) } as WebAssembly.Instance;
  };

  /** The checkpoint of one module: its fuel global is known once it is instantiated. */
  #checkpointFor(fuel: { global?: WebAssembly.Global }): WebAssembly.ModuleImports {
    const slices = this.#slices;
    if (!slices) return noCheckpoint;
    const yieldTo = () => slices.yield();
    return {
      [fuelImports.checkpoint]: () => slices.checkpoint(fuel.global),
      [fuelImports.yield]: Suspending ? (new Suspending(yieldTo) as unknown as WebAssembly.ImportValue) : () => {},
    };
  }

  /**
   * The guest's side of a host function that may wait (see wait-points.ts): it asks whether the
   * last such call answered with a promise, and only then suspends on it.
   */
  #makeWaitPoint(): WebAssembly.ModuleImports {
    const take = () => {
      const pending = this.#pending;
      this.#pending = undefined;
      this.#onWait?.();
      return pending;
    };
    const wait = Suspending
      ? (new Suspending(take) as unknown as WebAssembly.ImportValue)
      : () => {
          throw new Error('a host function answered with a promise, and this host cannot suspend the guest (no JSPI)');
        };
    return { [waitImports.pending]: () => (this.#pending ? 1 : 0), [waitImports.wait]: wait, [waitImports.waitI32]: wait };
  }

  /** A host function that may wait, as a module calls it: a promise is kept for the wait point that follows. */
  #toWaitPoint(call: (...args: unknown[]) => unknown): WebAssembly.ImportValue {
    const waiting = (...args: unknown[]): unknown => {
      const answer = call(...args);
      if (!thenable(answer)) return answer;
      this.#pending = answer;
      return undefined;
    };
    this.#waiting.add(waiting);
    return waiting as WebAssembly.ImportValue;
  }

  /** Exports of other modules passed back as imports: the Wasm functions themselves, so calls between modules stay Wasm to Wasm. */
  #unwrap(imports: WebAssembly.Imports | undefined): WebAssembly.Imports {
    if (!imports) return {};
    const out: WebAssembly.Imports = {};
    for (const [from, members] of Object.entries(imports)) {
      const copy: Record<string, WebAssembly.ImportValue> = {};
      for (const [name, value] of Object.entries(members)) {
        if (mayWait(value)) {
          copy[name] = this.#toWaitPoint(value);
          continue;
        }
        if (Suspending && value instanceof Suspending) this.waitsUnseen = true;
        copy[name] = (typeof value === 'function' && (this.#unwrapped.get(value) as WebAssembly.ImportValue | undefined)) || value;
      }
      out[from] = copy;
    }
    return out;
  }

  /** The imports with each synchronous host function wrapped to report its calls. */
  #reportHostCalls(imports: WebAssembly.Imports): WebAssembly.Imports {
    const report = this.#onHostCall!;
    const wrapped: WebAssembly.Imports = {};
    for (const [from, members] of Object.entries(imports)) {
      const out: Record<string, WebAssembly.ImportValue> = {};
      for (const [name, value] of Object.entries(members)) {
        const hostFunction = typeof value === 'function' && !this.#wasmFunctions.has(value) && !this.#waiting.has(value) && !(Suspending && value instanceof Suspending);
        out[name] = hostFunction
          ? function (this: unknown, ...args: unknown[]) {
              report();
              return (value as (...a: unknown[]) => unknown).apply(this, args);
            }
          : value;
      }
      wrapped[from] = out;
    }
    return wrapped;
  }
}
