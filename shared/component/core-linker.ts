/**
 * Instantiates a component's core modules for the glue, keeping each instance, and hands a
 * module that imports the dirty-page map of a memory the map its defining module exports.
 * Every call from Wasm into the host's JS (not a wait) is reported to `onHostCall`: see
 * host-call-budget.ts for why it is counted.
 */
import { dirtyMapExport, dirtyMapImport } from './write-tracking.ts';

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
const Suspending = (WebAssembly as unknown as { Suspending?: abstract new (...args: never[]) => object }).Suspending;

export class CoreLinker {
  /** Every core instance, in instantiation order. */
  readonly cores: WebAssembly.Instance[] = [];
  readonly #onHostCall: (() => void) | undefined;
  /** Functions core instances export: a call between two modules is not a host call. */
  readonly #wasmFunctions = new WeakSet<object>();

  constructor(onHostCall?: () => void) {
    this.#onHostCall = onHostCall;
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
    const instance = await WebAssembly.instantiate(module, this.#onHostCall ? this.#reportHostCalls(imports) : imports);
    this.cores.push(instance);
    for (const value of Object.values(instance.exports)) if (typeof value === 'function') this.#wasmFunctions.add(value);
    const map = instance.exports[dirtyMapExport];
    if (map instanceof WebAssembly.Memory) {
      for (const value of Object.values(instance.exports)) {
        if (value instanceof WebAssembly.Memory && value !== map) this.maps.set(value, map);
      }
    }
    return instance;
  };

  /** The imports with each synchronous host function wrapped to report its calls. */
  #reportHostCalls(imports: WebAssembly.Imports | undefined): WebAssembly.Imports | undefined {
    if (!imports) return imports;
    const report = this.#onHostCall!;
    const wrapped: WebAssembly.Imports = {};
    for (const [from, members] of Object.entries(imports)) {
      const out: Record<string, WebAssembly.ImportValue> = {};
      for (const [name, value] of Object.entries(members)) {
        const hostFunction = typeof value === 'function' && !this.#wasmFunctions.has(value) && !(Suspending && value instanceof Suspending);
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
