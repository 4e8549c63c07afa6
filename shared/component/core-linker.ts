/**
 * Instantiates a component's core modules for the glue, keeping each instance, and hands a
 * module that imports the dirty-page map of a memory the map its defining module exports.
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

export class CoreLinker {
  /** Every core instance, in instantiation order. */
  readonly cores: WebAssembly.Instance[] = [];
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
    const instance = await WebAssembly.instantiate(module, imports);
    this.cores.push(instance);
    const map = instance.exports[dirtyMapExport];
    if (map instanceof WebAssembly.Memory) {
      for (const value of Object.values(instance.exports)) {
        if (value instanceof WebAssembly.Memory && value !== map) this.maps.set(value, map);
      }
    }
    return instance;
  };
}
