/** Compiled components and their fresh per-request instances. */
import type { ComponentKind } from './prepare.ts';
import { CoreLinker } from './core-linker.ts';
import { applySnapshot, type EngineSnapshot } from './engine-snapshot.ts';

/** The `instantiate` export of jco's glue (instantiation mode `async`). */
export type GlueInstantiate = (
  getCoreModule: (name: string) => WebAssembly.Module,
  imports: Record<string, unknown>,
  instantiateCore?: (module: WebAssembly.Module, imports: WebAssembly.Imports) => Promise<WebAssembly.Instance>,
) => Promise<Record<string, unknown>>;

/** A component ready to run: its glue loaded, its core modules compiled once for this host. */
export interface LoadedComponent {
  kind: ComponentKind;
  instantiate: GlueInstantiate;
  modules: ReadonlyMap<string, WebAssembly.Module>;
  /**
   * The glue is the one made without JSPI (`syncGlue`): each host call must answer at once, so the
   * request body and key-value stores are read before the component runs.
   */
  sync?: boolean;
  /**
   * Core module name → the state its module starts in, where that module is a shared engine
   * (checked against the engine's digest when loaded). Other modules carry their own state.
   */
  snapshots?: ReadonlyMap<string, EngineSnapshot>;
}

/**
 * A new instance with its own memory and tables: nothing is shared with earlier requests.
 * `linker` instantiates each core module (the instance pool passes one to read them afterwards).
 */
export async function instantiateFresh(
  component: LoadedComponent,
  imports: Record<string, unknown>,
  linker: CoreLinker = new CoreLinker(),
): Promise<Record<string, unknown>> {
  const snapshots = new Map<WebAssembly.Module, EngineSnapshot>();
  const getCoreModule = (name: string): WebAssembly.Module => {
    const module = component.modules.get(name);
    if (!module) throw new Error(`component glue asked for an unknown core module ${name}`);
    const snapshot = component.snapshots?.get(name);
    if (snapshot) snapshots.set(module, snapshot);
    return module;
  };
  if (!component.snapshots?.size) return component.instantiate(getCoreModule, imports, linker.instantiate);
  // The snapshot goes in before the next core module is instantiated, as a data section would.
  return component.instantiate(getCoreModule, imports, async (module, moduleImports) => {
    const instance = await linker.instantiate(module, moduleImports);
    const snapshot = snapshots.get(module);
    if (snapshot) applySnapshot(instance, snapshot);
    return instance;
  });
}
