/**
 * Spin 1.x modules: core WebAssembly with WASI preview 1 imports, exporting
 * `handle-http-request` in wit-bindgen 0.2's ABI. They are prepared like components (a glue
 * module plus one core module), so every host loads, bundles and pools them the same way.
 */
import { fuelImports } from '../fuel.ts';
import { TwirlError, messageOf } from '../../errors.ts';
import { WasiInit, WasiExit } from '../../build/wasi-init.ts';
import type { InstanceContext } from '../imports.ts';
import { ComponentTrap } from '../errors.ts';
import { GuestMemory, METHODS, readResponse, type LegacyResponse, type Realloc } from './abi.ts';
import { configImports, legacyImports } from './imports.ts';
import { unservedImports } from './unserved.ts';

/** The core module's file name in the prepared form. */
export const SPIN1_MODULE_FILE = 'spin1.core.wasm';
/** The import the glue asks its host for. */
export const SPIN1_IMPORT = 'twirl:spin1-module';

/** The glue: hands the compiled module to the host's Spin 1.x runtime. */
export const spin1Glue = `export async function instantiate(getCoreModule, imports, instantiateCore) {
  return imports[${JSON.stringify(SPIN1_IMPORT)}].instantiate(getCoreModule(${JSON.stringify(SPIN1_MODULE_FILE)}), instantiateCore);
}
`;

/** Exports a Spin 1.x HTTP module must have. */
export const SPIN1_EXPORTS = ['handle-http-request', 'canonical_abi_realloc', 'memory'];

export interface LegacyRequest {
  method: string;
  uri: string;
  headers: Array<[string, string]>;
  body: Uint8Array | undefined;
}

export interface Spin1Exports {
  spin1: { handleHttpRequest(request: LegacyRequest): Promise<LegacyResponse> };
}

/** JSPI, which every Twirl host has (TypeScript's lib does not declare it yet). */
const jspi = WebAssembly as unknown as {
  promising<F extends (...args: never[]) => unknown>(fn: F): (...args: Parameters<F>) => Promise<ReturnType<F>>;
  Suspending: new (fn: (...args: never[]) => Promise<unknown>) => unknown;
};

type InstantiateCore = (module: WebAssembly.Module, imports: WebAssembly.Imports) => Promise<WebAssembly.Instance>;

/** What `buildImports` gives the glue: instantiates the module with WASI preview 1 and Spin 1.x's interfaces. */
export function spin1Runtime(current: () => InstanceContext) {
  return {
    async instantiate(module: WebAssembly.Module, core: InstantiateCore): Promise<Spin1Exports> {
      let instance: WebAssembly.Instance | undefined;
      const exported = <T>(name: string) => instance?.exports[name] as T;
      const mem = new GuestMemory(() => exported<WebAssembly.Memory>('memory'), () => exported<Realloc>('canonical_abi_realloc'));
      const importObject = importsFor(module, mem, current, () => exported<WebAssembly.Memory>('memory'));
      instance = await core(module, importObject);
      // Instances are made before any request: what initialisation says reaches the first one's logs.
      let note = initialise(instance);
      const handle = jspi.promising(instance.exports['handle-http-request'] as (...args: number[]) => number);
      return {
        spin1: {
          async handleHttpRequest(request) {
            if (note) current().stderr.write(new TextEncoder().encode(note));
            note = undefined;
            const method = METHODS.indexOf(request.method.toUpperCase() as (typeof METHODS)[number]);
            if (method < 0) throw new ComponentTrap(`a Spin 1.x module cannot take the method ${request.method}`, { code: 'unsupported-method' });
            const uri = mem.putString(request.uri);
            const headers = mem.putPairs(request.headers);
            const body = request.body ? [1, ...mem.putBytes(request.body)] : [0, 0, 0];
            const ret = (await handle(method, ...uri, ...headers, 0, 0, ...body)) as number;
            return readResponse(mem, ret);
          },
        },
      };
    },
  };
}

/**
 * Reactors export `_initialize`, and it must run. TinyGo builds commands: their `_start` sets up
 * the Go runtime and runs `init` and an empty `main`. Spin itself never calls `_start`, so a
 * module whose `main` fails or exits is still served: the failure goes to the logs.
 */
function initialise(instance: WebAssembly.Instance): string | undefined {
  const reactor = instance.exports['_initialize'] as (() => void) | undefined;
  if (reactor) {
    reactor();
    return undefined;
  }
  const command = instance.exports['_start'] as (() => void) | undefined;
  try {
    command?.();
  } catch (err) {
    if (err instanceof WasiExit && err.code === 0) return undefined;
    return `[twirl] the Spin 1.x module's _start failed (${messageOf(err)}); it is served anyway, as Spin never runs _start\n`;
  }
  return undefined;
}

function importsFor(module: WebAssembly.Module, mem: GuestMemory, current: () => InstanceContext, memory: () => WebAssembly.Memory): WebAssembly.Imports {
  const legacy = legacyImports(mem, current);
  const provided: Record<string, Record<string, unknown>> = {
    wasi_snapshot_preview1: preview1(current, memory),
    'spin-config': configImports(mem, current),
    ...unservedImports(mem, current),
    ...legacy.sync,
  };
  for (const [name, functions] of Object.entries(legacy.async)) {
    provided[name] = { ...provided[name], ...Object.fromEntries(Object.entries(functions).map(([f, fn]) => [f, new jspi.Suspending(fn)])) };
  }
  const imports: Record<string, Record<string, unknown>> = {};
  for (const { module: from, name, kind } of WebAssembly.Module.imports(module)) {
    // The fuel checkpoint is the linker's to give (see core-linker.ts).
    if (from === fuelImports.module) continue;
    let value = provided[from]?.[name];
    if (value === undefined && kind === 'function') value = unknownImport(from, name, current);
    if (value === undefined) {
      throw new TwirlError('unsupported-import', `the Spin 1.x module imports the ${kind} ${from}#${name}, which Twirl does not provide`);
    }
    (imports[from] ??= {})[name] = value;
  }
  return imports as WebAssembly.Imports;
}

/**
 * A function of an interface Twirl does not know (a later or private Spin 1.x interface): the
 * module still instantiates, as most of its requests never call it; a call fails that request.
 */
function unknownImport(from: string, name: string, current: () => InstanceContext): () => never {
  return () => {
    const component = requestOf(current)?.component ?? 'the component';
    throw new ComponentTrap(`${component}: the Spin 1.x module called ${from}#${name}, which Twirl does not provide`, { code: 'unsupported-import' });
  };
}

/**
 * WASI preview 1 over this request's ports: environment, mounted files, clocks, random, and
 * stdout/stderr to the logs. A pooled instance serves request after request, so each call
 * looks up the request it serves now.
 */
function preview1(current: () => InstanceContext, memory: () => WebAssembly.Memory): Record<string, unknown> {
  let serving: { ctx: InstanceContext | undefined; wasi: Record<string, (...args: never[]) => number> } | undefined;
  const wasi = () => {
    const ctx = requestOf(current);
    if (!ctx) {
      // Initialisation, before any request: no environment, no files, output dropped.
      if (serving?.ctx !== undefined || !serving) {
        const init = new WasiInit({ files: new Map(), onWrite: () => {} });
        init.bind(memory());
        serving = { ctx: undefined, wasi: init.imports(PREVIEW1_FUNCTIONS) };
      }
      return serving.wasi;
    }
    if (serving?.ctx !== ctx) {
      const init = new WasiInit({
        env: Object.fromEntries(ctx.environment),
        files: ctx.files,
        onWrite: (fd, chunk) => (fd === 1 ? ctx.stdout : ctx.stderr).write(chunk),
      });
      init.bind(memory());
      serving = { ctx, wasi: init.imports(PREVIEW1_FUNCTIONS) };
    }
    return serving.wasi;
  };
  return Object.fromEntries(PREVIEW1_FUNCTIONS.map((name) => [name, (...args: never[]) => wasi()[name]!(...args)]));
}

/** The request being served, or undefined while the instance is being made. */
function requestOf(current: () => InstanceContext): InstanceContext | undefined {
  try {
    return current();
  } catch {
    return undefined;
  }
}

/** Every function of `wasi_snapshot_preview1`: those WasiInit lacks answer ENOSYS. */
const PREVIEW1_FUNCTIONS = [
  'args_get', 'args_sizes_get', 'environ_get', 'environ_sizes_get', 'clock_res_get', 'clock_time_get', 'random_get',
  'proc_exit', 'sched_yield', 'fd_write', 'fd_read', 'fd_seek', 'fd_close', 'fd_fdstat_get', 'fd_fdstat_set_flags',
  'fd_filestat_get', 'fd_prestat_get', 'fd_prestat_dir_name', 'path_open', 'path_filestat_get', 'fd_tell', 'fd_sync',
  'fd_datasync', 'fd_advise', 'fd_allocate', 'fd_pread', 'fd_pwrite', 'fd_readdir', 'fd_renumber', 'fd_filestat_set_size',
  'fd_filestat_set_times', 'fd_fdstat_set_rights', 'path_create_directory', 'path_filestat_set_times', 'path_link',
  'path_readlink', 'path_remove_directory', 'path_rename', 'path_symlink', 'path_unlink_file', 'poll_oneoff', 'proc_raise',
  'sock_accept', 'sock_recv', 'sock_send', 'sock_shutdown',
];
