/**
 * A pre-initializer in TypeScript, doing what wizer does natively: instantiate a core module
 * with a WASI for initialisation, run its init function, then write a new module whose memory
 * and globals start where initialisation left them. Runs wherever WebAssembly does.
 */
import { TwirlError, messageOf } from '../errors.ts';
import { readLayout, type ModuleLayout } from '../wasm/module-layout.ts';
import { exposeState, snapshotExportName, writeSnapshot, type GlobalValue, type Snapshot } from './snapshot-module.ts';
import { WasiExit, WasiInit, type WasiInitOptions } from './wasi-init.ts';

export interface PreinitOptions {
  /** The export to run, e.g. `componentize.wizer`; removed from the output. */
  initFunc: string;
  wasi: WasiInitOptions;
  /**
   * Runs on the initialised instance after its state is captured, before it is dropped — to
   * ask the module whether initialisation went well without compiling the output again.
   */
  inspect?: (exports: WebAssembly.Exports, wasi: WasiInit) => void;
}

export interface Preinitialized {
  module: Uint8Array;
  stdout: string;
  stderr: string;
}

/** Initialisation failed: the module trapped, exited non-zero or lacks what is needed. */
export class PreinitError extends TwirlError {
  readonly stderr: string;
  constructor(message: string, stderr: string, options?: { cause?: unknown }) {
    super('preinit-failed', stderr ? `${message}\n${stderr.trimEnd()}` : message, options);
    this.name = 'PreinitError';
    this.stderr = stderr;
  }
}

export const REACTOR_INIT = '_initialize';

/** A module read and compiled for pre-initialisation; reusable for many runs with other inputs. */
export interface PreinitModule {
  bytes: Uint8Array;
  layout: ModuleLayout;
  /** The module with its state exposed to the host, compiled. */
  compiled: WebAssembly.Module;
}

export async function compileForPreinit(bytes: Uint8Array): Promise<PreinitModule> {
  const layout = readLayout(bytes);
  return { bytes, layout, compiled: await WebAssembly.compile(exposeState(bytes, layout) as Uint8Array<ArrayBuffer>) };
}

/** Runs `options.initFunc` in `module` and returns the module snapshotted after it. */
export async function preinitialize(module: Uint8Array | PreinitModule, options: PreinitOptions): Promise<Preinitialized> {
  const compiled = module instanceof Uint8Array ? await compileForPreinit(module) : module;
  const { snapshot, stdout, stderr } = await captureInit(compiled, options);
  const dropped = new Set([options.initFunc, REACTOR_INIT]);
  return { module: writeSnapshot(compiled.bytes, compiled.layout, snapshot, dropped), stdout, stderr };
}

/** Runs `options.initFunc` in `module` and returns its memory and mutable globals after it, writing no module. */
export async function captureInit(module: PreinitModule, options: PreinitOptions): Promise<{ snapshot: Snapshot; stdout: string; stderr: string }> {
  const { layout, compiled } = module;
  const wasi = new WasiInit(options.wasi);
  const instance = await WebAssembly.instantiate(compiled, initImports(compiled, wasi));
  const exports = instance.exports;
  const memory = exports[snapshotExportName('memory')];
  if (!(memory instanceof WebAssembly.Memory)) throw new PreinitError('the module defines no memory to snapshot', '');
  wasi.bind(memory);

  // wizer runs a reactor's own initialisation first, as a WASI host would.
  if (typeof exports[REACTOR_INIT] === 'function') run(exports, REACTOR_INIT, wasi);
  run(exports, options.initFunc, wasi);

  const globals = new Map<number, GlobalValue>();
  for (const g of layout.globals.filter((entry) => entry.mutable)) {
    const global = exports[snapshotExportName(g.index)];
    if (!(global instanceof WebAssembly.Global)) throw new PreinitError(`global ${g.index} was not exposed`, '');
    globals.set(g.index, global.value as GlobalValue);
  }
  const snapshot = { memory: new Uint8Array(memory.buffer.slice(0)), globals };
  options.inspect?.(exports, wasi);
  return { snapshot, stdout: wasi.stdout, stderr: wasi.stderr };
}

function run(exports: WebAssembly.Exports, name: string, wasi: WasiInit): void {
  const fn = exports[name];
  if (typeof fn !== 'function') throw new PreinitError(`the module exports no function ${name}`, '');
  try {
    (fn as () => unknown)();
  } catch (err) {
    if (err instanceof WasiExit && err.code === 0) return;
    const why = err instanceof WasiExit ? err.message : `trapped: ${messageOf(err)}`;
    throw new PreinitError(`${name} ${why}`, wasi.stderr, { cause: err });
  }
}

/** WASI preview1 from `wasi`; every other imported function traps, as in wizer. */
function initImports(module: WebAssembly.Module, wasi: WasiInit): WebAssembly.Imports {
  const wanted = new Map<string, string[]>();
  for (const { module: from, name, kind } of WebAssembly.Module.imports(module)) {
    if (kind !== 'function') throw new PreinitError(`cannot pre-initialise a module importing a ${kind} (${from}#${name})`, '');
    wanted.set(from, [...(wanted.get(from) ?? []), name]);
  }
  const imports: WebAssembly.Imports = {};
  for (const [from, names] of wanted) {
    if (from === 'wasi_snapshot_preview1') {
      imports[from] = wasi.imports(names);
      continue;
    }
    imports[from] = Object.fromEntries(
      names.map((name) => [
        name,
        () => {
          throw new Error(`${from}#${name} is not available during initialisation`);
        },
      ]),
    );
  }
  return imports;
}
