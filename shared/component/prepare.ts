/**
 * Build-time preparation of a component: jco splits it into core modules plus JS glue that
 * instantiates them from already-compiled modules, with JSPI so host calls may be async. Hosts
 * without JSPI (WebKit) take a second glue for the same core modules whose host calls are
 * synchronous (see host/host-waits.ts).
 */
import { $init, generate } from '@bytecodealliance/jco-transpile/component';
import { TwirlError, messageOf } from '../errors.ts';
import { defaultMaxMemoryBytes } from '../limits.ts';
import { capMemory, exportMutableGlobals } from './rewrite-module.ts';
import { addFuel } from './fuel.ts';
import { readLayout } from '../wasm/module-layout.ts';
import { isCoreModule, isWasmBinary } from '../wasm/bytes.ts';
import { SPIN1_EXPORTS, SPIN1_MODULE_FILE, spin1Glue } from './spin1/module.ts';
import { trackWrites } from './write-tracking.ts';
import { quietGlue } from './glue-rewrite.ts';
import { directHostCalls } from './glue-host-calls.ts';
import { asyncImports } from './async-imports.ts';
import { syncFirstHostCalls } from './glue-waits.ts';
import { waitsOnHost } from './wait-points.ts';

const asyncExports = ['wasi:http/incoming-handler#handle', 'fermyon:spin/inbound-http#handle-request'];

/** How a component takes HTTP requests; `spin1-http` is a Spin 1.x core module, not a component. */
export type ComponentKind = 'wasi-http' | 'spin-inbound-http' | 'spin1-http';

export interface TranspiledComponent {
  kind: ComponentKind;
  /** ES module source exporting `instantiate(getCoreModule, imports, instantiateCore)`. */
  glue: string;
  /** The same without JSPI: every host call must answer at once. Made when asked for. */
  syncGlue?: string;
  /**
   * Modules whose write tracking (a second memory) a host without multi-memory cannot compile,
   * without it: a reset then copies memory back whole. Made when asked for.
   */
  untracked?: Record<string, Uint8Array>;
  /** Core modules by the file name the glue asks for. */
  modules: Record<string, Uint8Array>;
}

function kindOf(exports: Array<[string, string]>): ComponentKind {
  const names = exports.map(([name]) => name);
  if (names.some((n) => n.startsWith('wasi:http/incoming-handler@0.2'))) return 'wasi-http';
  if (names.some((n) => n.startsWith('fermyon:spin/inbound-http'))) return 'spin-inbound-http';
  throw new TwirlError(
    'unsupported-component',
    `the component exports neither wasi:http/incoming-handler@0.2.x nor fermyon:spin/inbound-http (it exports: ${names.join(', ') || 'nothing'})`,
  );
}

export interface PrepareOptions {
  /** Largest linear memory an instance may grow to. */
  maxMemoryBytes?: number;
  /** Loop iterations one request may run before it is stopped. */
  fuel?: bigint;
  /** Mark the pages each request writes, so a reset copies back only those (default true). */
  trackWrites?: boolean;
  /** Make the glue for hosts without JSPI as well (`syncGlue`). */
  syncGlue?: boolean;
  /** Keep the modules without write tracking as well (`untracked`), for hosts without multi-memory. */
  untracked?: boolean;
}

/** Loop iterations per request: far more than a handler needs, spent within seconds by a runaway loop. */
export const defaultFuel = 2_000_000_000n;

/** jco's output; `jspi` false gives glue whose host calls are synchronous (the core modules are the same). */
export async function generateGlue(bytes: Uint8Array, name: string, jspi: boolean): Promise<ReturnType<typeof generate>> {
  await $init;
  try {
    return generate(bytes, {
      name,
      instantiation: { tag: 'async' },
      ...(jspi ? { asyncMode: { tag: 'jspi', val: { imports: [...asyncImports], exports: asyncExports } } } : {}),
      map: [],
      validLiftingOptimization: false,
      tracing: false,
      noComponentErrorWrapping: true,
      noNodejsCompat: true,
      noTypescript: true,
      tlaCompat: false,
      base64Cutoff: Number.MAX_SAFE_INTEGER,
      noNamespacedExports: true,
      multiMemory: false,
    });
  } catch (err) {
    throw new TwirlError('invalid-component', `not a valid WebAssembly component: ${messageOf(err)}`, { cause: err });
  }
}

const glueOf = (generated: ReturnType<typeof generate>): string => {
  const js = generated.files.find(([file]) => file.endsWith('.js'));
  return js ? directHostCalls(quietGlue(new TextDecoder().decode(js[1]))) : '';
};

/**
 * The glue for hosts without JSPI, for the core modules `transpileComponent` made. A Spin 1.x
 * module has none: its host calls wait by nature.
 */
export async function transpileSyncGlue(bytes: Uint8Array, name = 'component'): Promise<string | undefined> {
  if (isCoreModule(bytes)) return undefined;
  return glueOf(await generateGlue(bytes, name, false));
}

/** `name` names the glue's core module files; errors do not name the component: its host, which knows its id and file, does. */
export async function transpileComponent(bytes: Uint8Array, name = 'component', options: PrepareOptions = {}): Promise<TranspiledComponent> {
  if (bytes.length === 0) throw new TwirlError('invalid-component', 'the file is empty: did its build fail?');
  if (!isWasmBinary(bytes)) throw new TwirlError('invalid-component', `not a WebAssembly file: it begins ${JSON.stringify(new TextDecoder().decode(bytes.subarray(0, 16)))}`);
  if (isCoreModule(bytes)) return prepareSpin1Module(bytes, options);
  const generated = await generateGlue(bytes, name, true);
  const kind = kindOf(generated.exports as Array<[string, string]>);
  let glue = '';
  const modules: Record<string, Uint8Array> = {};
  const untracked: Record<string, Uint8Array> = {};
  // Host calls stay synchronous until they have to wait only where every module calling them waits through a wait point.
  let waitPoints = true;
  for (const [file, content] of generated.files) {
    if (file.endsWith('.js')) glue = quietGlue(new TextDecoder().decode(content));
    else if (file.endsWith('.wasm')) {
      const maxMemoryBytes = options.maxMemoryBytes ?? defaultMaxMemoryBytes;
      const metered = addFuel(content, options.fuel ?? defaultFuel);
      const { waits, throughWaitPoints } = waitsOnHost(metered);
      if (waits && !throughWaitPoints) waitPoints = false;
      const capped = capMemory(exportMutableGlobals(metered), maxMemoryBytes);
      modules[file] = options.trackWrites === false ? capped : trackWrites(capped, maxMemoryBytes);
      if (options.untracked && modules[file] !== capped) untracked[file] = capped;
    }
  }
  if (waitPoints) glue = syncFirstHostCalls(glue);
  glue = directHostCalls(glue);
  const syncGlue = options.syncGlue ? await transpileSyncGlue(bytes, name) : undefined;
  return { kind, glue, modules, ...(syncGlue === undefined ? {} : { syncGlue }), ...(options.untracked ? { untracked } : {}) };
}

/** A Spin 1.x module: checked for its HTTP export, metered and capped like a component's modules. */
function prepareSpin1Module(bytes: Uint8Array, options: PrepareOptions): TranspiledComponent {
  let exports: string[];
  try {
    exports = readLayout(bytes).exports.map((e) => e.name);
  } catch (err) {
    throw new TwirlError('invalid-component', `not a valid WebAssembly core module: ${messageOf(err)}`, { cause: err });
  }
  const missing = SPIN1_EXPORTS.filter((e) => !exports.includes(e));
  if (missing.length > 0) {
    throw new TwirlError(
      'unsupported-component',
      `this is a WebAssembly core module, not a component; as a Spin 1.x HTTP module it would export ${missing.join(', ')}, which it lacks (it exports: ${exports.join(', ') || 'nothing'})`,
    );
  }
  const metered = addFuel(bytes, options.fuel ?? defaultFuel);
  return { kind: 'spin1-http', glue: spin1Glue, modules: { [SPIN1_MODULE_FILE]: capMemory(exportMutableGlobals(metered), options.maxMemoryBytes ?? defaultMaxMemoryBytes) } };
}
