/**
 * Initialising StarlingMonkey with a bundle, as componentize-js has wizer do: the spliced
 * engine's bindings and the source go in, the engine's memory and globals come out. Kept apart
 * from the rest of the pipeline (componentize.ts) because it needs none of jco's Wasm tools: a
 * rebuild that makes only a snapshot loads nothing else.
 */
import { TwirlError } from '../errors.ts';
import { PreinitError, PreinitTimeout, captureInit, type PreinitModule } from './preinit.ts';
import type { Snapshot } from './snapshot-module.ts';
import { withWarmUp } from './bindings-warm-up.ts';
import { defaultMaxMemoryBytes } from '../limits.ts';

export type Feature = 'stdio' | 'clocks' | 'random' | 'http' | 'fetch-event';

export interface SpliceResult {
  wasm: Uint8Array;
  jsBindings: string;
  exports: Array<[string, { params: string[]; ret?: string; retptr: boolean; retsize: number; paramptr: boolean }]>;
  imports: Array<[string, string, number]>;
}

/** A splice's bindings and its engine module, compiled once for any number of initialisations. */
export interface Spliced {
  result: SpliceResult;
  module: PreinitModule;
}

export const DEFAULT_FEATURES: Feature[] = ['stdio', 'random', 'clocks', 'http', 'fetch-event'];
const SOURCE_FILE = 'bundle.js';
const INITIALIZER_FILE = '/initializer.js';
export const INIT_FUNC = 'componentize.wizer';
/** check_init's answers, from StarlingMonkey's componentize runtime. */
const CHECK_INIT_FAILURES: Record<number, string> = {
  1: 'Unable to extract expected exports list',
  2: 'Unable to parse the core ABI export types',
};

/** A source exporting `incomingHandler` implements wasi:http itself; the fetch event must go. */
export function featuresFor(code: string): Feature[] {
  return exportNames(code).has('incomingHandler') ? DEFAULT_FEATURES.filter((f) => f !== 'fetch-event') : DEFAULT_FEATURES;
}

/**
 * The engine's memory and globals once initialised with `code` (what `initialize` writes into a
 * module); `warmUp: false` leaves out the bindings' warm-up (bindings-warm-up.ts), for
 * comparisons; `timeLimitMs`: how long the code's top level may run (preinit.ts's default);
 * `onOutput`: given what the top-level code printed (its `console.log`s), when it printed anything.
 */
export async function initializeState(
  { result: spliced, module: engine }: Spliced,
  code: string,
  features: readonly Feature[],
  { warmUp = true, timeLimitMs, onOutput }: { warmUp?: boolean; timeLimitMs?: number; onOutput?: ((stdout: string) => void) | undefined } = {},
): Promise<Snapshot> {
  const encoder = new TextEncoder();
  const files = new Map([
    [`/${SOURCE_FILE}`, encoder.encode(code)],
    [INITIALIZER_FILE, encoder.encode(warmUp ? withWarmUp(spliced.jsBindings) : spliced.jsBindings)],
  ]);
  const stdin = encoder.encode(`--initializer-script-path ${INITIALIZER_FILE} --strip-path-prefix / ${SOURCE_FILE}`);
  let status = 0;
  try {
    const { snapshot, stdout } = await captureInit(engine, {
      initFunc: INIT_FUNC,
      wasi: { env: initEnv(spliced, features), stdin, files },
      timeLimitMs,
      inspect: (exports) => {
        status = (exports.check_init as () => number)();
      },
    });
    if (status !== 0) throw new PreinitError(CHECK_INIT_FAILURES[status] ?? `Unknown error during initialization: ${status}`, '');
    if (stdout) onOutput?.(stdout);
    return snapshot;
  } catch (err) {
    if (!(err instanceof PreinitError)) throw err;
    // What it printed before it failed is often what tells why.
    if (err.stdout) onOutput?.(err.stdout);
    if (err instanceof PreinitTimeout) {
      const seconds = err.limitMs / 1000;
      throw new TwirlError('componentize-failed', `initialising the component failed: its top-level code was still running after ${seconds} s and was stopped (a loop that never ends?)`, { cause: err });
    }
    // What the engine printed (the exception, at bundle.js:line:column) is what the user needs.
    const detail = err.stderr.trim() ? cleanStderr(err.stderr.trim()) : err.message;
    // Initialisation runs with a component's memory limit (preinit.ts): the engine says only "out of memory".
    const why = /uncaught exception: out of memory/.test(detail) ? ` its top-level code needed more than the ${defaultMaxMemoryBytes / 2 ** 20} MB of memory a component may use` : '';
    throw new TwirlError('componentize-failed', `initialising the component failed:${why}\n${detail}`, { cause: err });
  }
}

/** The environment componentize-js gives wizer: the splice's exports and imports, by index. */
function initEnv(spliced: SpliceResult, features: readonly Feature[]): Record<string, string> {
  const env: Record<string, string> = {
    DEBUG: '',
    SOURCE_NAME: 'source.js',
    EXPORT_CNT: String(spliced.exports.length),
    FEATURE_CLOCKS: features.includes('clocks') ? '1' : '',
  };
  spliced.exports.forEach(([name, fn], i) => {
    env[`EXPORT${i}_NAME`] = name;
    env[`EXPORT${i}_ARGS`] = (fn.paramptr ? '*' : '') + fn.params.join(',');
    env[`EXPORT${i}_RET`] = (fn.retptr ? '*' : '') + (fn.ret ?? '');
    env[`EXPORT${i}_RETSIZE`] = String(fn.retsize);
  });
  spliced.imports.forEach(([, name, argCount], i) => {
    env[`IMPORT${i}_NAME`] = name;
    env[`IMPORT${i}_ARGCNT`] = String(argCount);
  });
  env.IMPORT_CNT = String(spliced.imports.length);
  return env;
}

/** Error lines name the initializer script by its path; the user needs only what went wrong. */
function cleanStderr(text: string): string {
  return text.replaceAll(new RegExp(`${INITIALIZER_FILE.replace('.', '\\.')}[:\\d]* ?`, 'g'), '');
}

/**
 * The names a bundled ES module exports. esbuild writes a bundle's exports as
 * `export { a as b, c }` or as declarations; a scan suffices where a full parse (componentize-js
 * uses a native parser) is not available.
 */
export function exportNames(code: string): Set<string> {
  const names = new Set<string>();
  for (const [, list] of code.matchAll(/(?:^|[;\n])\s*export\s*\{([^}]*)\}/g)) {
    for (const item of list!.split(',')) {
      const name = item.trim().split(/\s+as\s+/).pop()?.replace(/^["']|["']$/g, '');
      if (name) names.add(name);
    }
  }
  for (const [, name] of code.matchAll(/(?:^|[;\n])\s*export\s+(?:async\s+)?(?:function\s*\*?|class|const|let|var)\s*([\w$]+)/g)) names.add(name!);
  return names;
}
