/**
 * A pre-initializer in TypeScript, doing what wizer does natively: instantiate a core module
 * with a WASI for initialisation, run its init function, then write a new module whose memory
 * and globals start where initialisation left them. Runs wherever WebAssembly does.
 */
import { TwirlError, messageOf } from '../errors.ts';
import { isUnknownInstruction } from '../wasm/instructions.ts';
import { Checkpoint, addFuel, fuelExport, fuelImports } from '../component/fuel.ts';
import { defaultMaxMemoryBytes } from '../limits.ts';
import { capMemory } from '../component/rewrite-module.ts';
import { readLayout, type ModuleLayout } from '../wasm/module-layout.ts';
import { exposeState, snapshotExportName, writeSnapshot, type GlobalValue, type Snapshot } from './snapshot-module.ts';
import { WasiExit, WasiInit, type WasiInitOptions } from './wasi-init.ts';

export interface PreinitOptions {
  /** The export to run, e.g. `componentize.wizer`; removed from the output. */
  initFunc: string;
  wasi: WasiInitOptions;
  /**
   * Initialisation still running after this many milliseconds is stopped and fails: top-level
   * code that never ends (a loop) would otherwise hang the build. Needs a metered module
   * (`compileForPreinit`); 20 s by default.
   */
  timeLimitMs?: number;
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
  /** What the module printed to stdout before it failed. */
  readonly stdout: string;
  constructor(message: string, stderr: string, options?: { cause?: unknown; stdout?: string }) {
    super('preinit-failed', stderr ? `${message}\n${stderr.trimEnd()}` : message, options);
    this.name = 'PreinitError';
    this.stderr = stderr;
    this.stdout = options?.stdout ?? '';
  }
}

export const REACTOR_INIT = '_initialize';

const DEFAULT_INIT_TIME_LIMIT_MS = 20_000;

/** Loop iterations between two looks at the clock while initialising: tens of milliseconds. */
const INIT_FUEL_SLICE = 10_000_000n;

/** A module read and compiled for pre-initialisation; reusable for many runs with other inputs. */
export interface PreinitModule {
  bytes: Uint8Array;
  layout: ModuleLayout;
  /** The module with its state exposed to the host, metered where it can be, compiled. */
  compiled: WebAssembly.Module;
}

/**
 * `runnable`: what `preinitRunnable(bytes)` returned, kept by a host that stores it (the pass
 * takes a fifth of a second on a JS engine).
 */
export async function compileForPreinit(bytes: Uint8Array, runnable?: Uint8Array): Promise<PreinitModule> {
  const layout = readLayout(bytes);
  return { bytes, layout, compiled: await WebAssembly.compile((runnable ?? runnableOf(bytes, layout)) as Uint8Array<ArrayBuffer>) };
}

/** The module as pre-initialisation runs it: its state exposed to the host, its loops metered. */
export function preinitRunnable(bytes: Uint8Array): Uint8Array {
  return runnableOf(bytes, readLayout(bytes));
}

/**
 * Fuel on every loop (fuel.ts) lets a run that never ends be stopped; a module the pass cannot
 * read runs unmetered. The fuel's global comes after the module's own and is not captured. Its
 * memory may grow as far as a component's may when it runs: a top-level loop that hoards memory
 * fails there, not gigabytes later.
 */
function runnableOf(bytes: Uint8Array, layout: ModuleLayout): Uint8Array {
  const exposed = capMemory(exposeState(bytes, layout), defaultMaxMemoryBytes);
  try {
    return addFuel(exposed, INIT_FUEL_SLICE);
  } catch (err) {
    if (isUnknownInstruction(err)) return exposed;
    throw err;
  }
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
  const clock = new InitClock(options.timeLimitMs ?? DEFAULT_INIT_TIME_LIMIT_MS);
  const instance = await WebAssembly.instantiate(compiled, initImports(compiled, wasi, clock));
  const exports = instance.exports;
  clock.bind(exports);
  const memory = exports[snapshotExportName('memory')];
  if (!(memory instanceof WebAssembly.Memory)) throw new PreinitError('the module defines no memory to snapshot', '');
  wasi.bind(memory);

  // wizer runs a reactor's own initialisation first, as a WASI host would.
  if (typeof exports[REACTOR_INIT] === 'function') run(exports, REACTOR_INIT, wasi, clock);
  run(exports, options.initFunc, wasi, clock);

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

/** Initialisation ran past its time limit. */
export class PreinitTimeout extends PreinitError {
  readonly limitMs: number;
  constructor(name: string, limitMs: number, stderr: string, stdout = '') {
    super(`${name} was still running after ${limitMs / 1000} s and was stopped`, stderr, { stdout });
    this.name = 'PreinitTimeout';
    this.limitMs = limitMs;
  }
}

/** What a metered module asks each time its fuel runs out: go on with more, or stop once past the limit. */
class InitClock {
  readonly limitMs: number;
  #deadline = 0;
  #fuel: WebAssembly.Global | undefined;
  expired = false;

  constructor(limitMs: number) {
    this.limitMs = limitMs;
  }

  bind(exports: WebAssembly.Exports): void {
    const fuel = exports[fuelExport];
    if (fuel instanceof WebAssembly.Global) this.#fuel = fuel;
  }

  start(): void {
    this.#deadline = Date.now() + this.limitMs;
  }

  readonly checkpoint = (): number => {
    if (Date.now() > this.#deadline) {
      this.expired = true;
      return Checkpoint.trap;
    }
    if (this.#fuel) this.#fuel.value = INIT_FUEL_SLICE;
    return Checkpoint.proceed;
  };
}

function run(exports: WebAssembly.Exports, name: string, wasi: WasiInit, clock: InitClock): void {
  const fn = exports[name];
  if (typeof fn !== 'function') throw new PreinitError(`the module exports no function ${name}`, '');
  clock.start();
  try {
    (fn as () => unknown)();
  } catch (err) {
    if (err instanceof WasiExit && err.code === 0) return;
    if (clock.expired) throw new PreinitTimeout(name, clock.limitMs, wasi.stderr, wasi.stdout);
    const why = err instanceof WasiExit ? err.message : `trapped: ${messageOf(err)}`;
    throw new PreinitError(`${name} ${why}`, wasi.stderr, { cause: err, stdout: wasi.stdout });
  }
}

/** WASI preview1 from `wasi`, the fuel's checkpoint from `clock`; every other imported function traps, as in wizer. */
function initImports(module: WebAssembly.Module, wasi: WasiInit, clock: InitClock): WebAssembly.Imports {
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
    if (from === fuelImports.module) {
      imports[from] = { [fuelImports.checkpoint]: clock.checkpoint, [fuelImports.yield]: () => {} };
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
