import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseComponentizeCommand, type ComponentizeCommand } from '../../shared/build/build-command.ts';
import { TwirlError, messageOf } from '../../shared/errors.ts';
import { atUserSource } from '../../shared/build/component-input.ts';
import { SourceMap } from '../../shared/build/source-map.ts';
import { bundleEntry, type Bundle } from './bundle.ts';
import { keepSourceMap } from './component-source-map.ts';
import { assembleWitDir } from './wit-dir.ts';
import { DETECTED_WORLD, worldForImports } from './world.ts';
import { choosePreinit, componentizeBundleTs, keepEngineOf, rebuildFromWorldEngine, takePreinitArg, warmWorldEngine, type PreinitMode } from './preinit-node.ts';

export interface BuildJsComponentOptions {
  /** The JS or TS entry module; it registers a `fetch` event listener. */
  entry: string;
  /** Where to write the component; nothing is written when absent. */
  out?: string;
  /** A world of `shared/wit/worlds.wit`; by default, one importing just what the code imports. */
  world?: string;
  onProgress?: (step: string) => void;
  /**
   * `ts`: the TypeScript pre-initializer (`shared/build/`); by default native wizer where installed, else `ts`.
   * Either way, once a world's engine is kept, a build is a snapshot of it unless `native` is asked for.
   */
  preinit?: PreinitMode;
  /** What the code's top level printed while it was initialised (native wizer prints it to stdout itself). */
  onOutput?: (stdout: string) => void;
}

export interface BuiltJsComponent {
  component: Uint8Array;
  bundleMs: number;
  componentizeMs: number;
  /** `snapshot`: made from the world's kept engine; `full`: spliced, initialised, stubbed and wrapped. */
  via: 'snapshot' | 'full';
}

/** Bundles `entry` with esbuild, then turns the bundle into a component with componentize-js. */
export async function buildJsComponent(opts: BuildJsComponentOptions): Promise<BuiltJsComponent> {
  const entry = resolve(opts.entry);
  const progress = opts.onProgress ?? (() => {});

  progress(`bundling ${opts.entry}`);
  let started = performance.now();
  const bundle = await bundleEntry(entry);
  const bundleMs = performance.now() - started;

  started = performance.now();
  let made: { component: Uint8Array; via: BuiltJsComponent['via'] };
  try {
    made = await makeComponent(bundle, opts, progress);
  } catch (err) {
    // The engine names positions in the bundle: the user needs the line in their own file.
    throw atUserSource(err, { sourceMap: relativeTo(process.cwd(), bundle.sourceMap) });
  }
  const { component, via } = made;
  const componentizeMs = performance.now() - started;

  if (opts.out) {
    await mkdir(dirname(resolve(opts.out)), { recursive: true });
    await writeFile(opts.out, component);
    await keepSourceMap(resolve(opts.out), component, bundle.sourceMap);
    progress(`wrote ${opts.out}`);
  }
  // A native build keeps its engine after its output is written: a splice (seconds) once per world.
  if (via === 'full' && opts.preinit === 'native') await keepEngineOf(bundle, component, opts.world);
  return { component, bundleMs, componentizeMs, via };
}

/** A snapshot of the world's kept engine where there is one; else a full build, which keeps the engine for the next. */
async function makeComponent(bundle: Bundle, opts: BuildJsComponentOptions, progress: (step: string) => void): Promise<{ component: Uint8Array; via: BuiltJsComponent['via'] }> {
  const rebuilt = opts.preinit === 'native' ? undefined : await rebuildFromWorldEngine(bundle, opts.world, opts.onOutput);
  if (rebuilt) {
    progress('initialised on the kept engine of its world');
    return { component: rebuilt, via: 'snapshot' };
  }
  progress('componentizing');
  // Shown only if this build fails: when it succeeds, the rebuild below runs the code again and prints it.
  let printed = '';
  let component: Uint8Array;
  try {
    component = await componentizeBundle(bundle, opts.world, opts.preinit, (stdout) => (printed += stdout));
  } catch (err) {
    if (printed) opts.onOutput?.(printed);
    throw err;
  }
  if (opts.preinit === 'native') return { component, via: 'full' };
  // The world's first build keeps its engine (a splice, seconds, once per world) and is then
  // made from it like every later build: components of one world built on a fresh machine
  // and on a used one lay out their memory alike, so what they share is shared (see
  // worker/published/split-prepared.ts).
  progress('keeping the engine of its world');
  await keepEngineOf(bundle, component, opts.world);
  const again = await rebuildFromWorldEngine(bundle, opts.world, opts.onOutput);
  return again ? { component: again, via: 'snapshot' } : { component, via: 'full' };
}

/** `map` with its sources named relative to `base`, as the terminal shows paths. */
function relativeTo(base: string, map: SourceMap): SourceMap {
  return new SourceMap({ ...map.json, sources: map.sources.map((source) => relative(base, source)) });
}

/** componentize-js calls run one at a time: they share the process-wide preopens. */
let queue: Promise<unknown> = Promise.resolve();

function componentizeBundle(bundle: Bundle, namedWorld: string | undefined, preinit: PreinitMode | undefined, onOutput: (stdout: string) => void): Promise<Uint8Array> {
  const run = queue.then(() => componentizeOne(bundle, namedWorld, preinit, onOutput));
  queue = run.catch(() => {});
  return run;
}

async function componentizeOne(bundle: Bundle, namedWorld: string | undefined, preinit: PreinitMode | undefined, onOutput: (stdout: string) => void): Promise<Uint8Array> {
  if (choosePreinit(preinit) === 'ts') return (await componentizeBundleTs(bundle, namedWorld, undefined, onOutput)).component;
  const world = namedWorld ?? DETECTED_WORLD;
  const witDir = await assembleWitDir(namedWorld ? '' : worldForImports(bundle.hostImports));
  const { componentize } = await import('@bytecodealliance/componentize-js');
  const work = await mkdtemp(join(tmpdir(), 'twirl-componentize-'));
  try {
    const sourcePath = join(work, 'bundle.js');
    await writeFile(sourcePath, bundle.code);
    // All WIT dirs share one parent, which the splicer sees as `/`.
    return await withSplicerPreopen(dirname(witDir), async () => {
      const { component } = await componentize({ sourcePath, witPath: `/${basename(witDir)}`, worldName: world });
      return component;
    });
  } catch (err) {
    throw new TwirlError('componentize-failed', `componentize-js failed: ${describeFailure(err)}`, { cause: err });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** WIT resolution errors name our cache dir; what the user needs is the interface they got wrong. */
function describeFailure(err: unknown): string {
  const message = messageOf(err);
  return message.replace(/^resolving WIT in \S+\s+Caused by:\s+/, 'unknown host import: ');
}

/**
 * componentize-js's splicer reads the WIT through preview2-shim, whose process-wide preopens
 * start empty (os error 44). Expose the WIT cache dir as `/` for the call, then put back
 * whatever preopens this process had, so guests run later in it see no more than before.
 * The splicer's libc reads the preopens once per process, so `root` must never change.
 */
async function withSplicerPreopen<T>(root: string, run: () => Promise<T>): Promise<T> {
  const fs = (await import(splicerShim())) as unknown as PreopenControl;
  const saved = fs._getPreopens();
  fs._setPreopens({ '/': root });
  try {
    return await run();
  } finally {
    fs._clearPreopens();
    // getDirectories() hands out the live list; refill it with the saved descriptors.
    fs.preopens.getDirectories().push(...saved);
  }
}

/**
 * The preview2-shim the splicer itself imports: an installed package may get a copy of its own,
 * another version beside ours, whose preopens are a different set.
 */
function splicerShim(): string {
  const fromSplicer = createRequire(import.meta.resolve('@bytecodealliance/componentize-js'));
  return pathToFileURL(fromSplicer.resolve('@bytecodealliance/preview2-shim/filesystem')).href;
}

interface PreopenControl {
  _getPreopens(): unknown[];
  _setPreopens(preopens: Record<string, string>): void;
  _clearPreopens(): void;
  preopens: { getDirectories(): unknown[] };
}

/** `twirl componentize <entry> -o <out.wasm> [--world <name>]`, paths relative to `cwd`. */
export async function componentizeCommand(argv: string[], cwd = process.cwd()): Promise<void> {
  const { preinit, rest } = takePreinitArg(argv);
  const args = parseComponentizeArgs(rest);
  const { bundleMs, componentizeMs, component, via } = await buildJsComponent({
    ...args,
    entry: resolve(cwd, args.entry),
    out: resolve(cwd, args.out),
    ...(preinit ? { preinit } : {}),
    onProgress: (step) => console.error(`twirl componentize: ${step}`),
    // As componentize-js lets wizer print it: a `console.log` at the top level shows at build time.
    onOutput: (stdout) => process.stdout.write(stdout),
  });
  const mb = (component.byteLength / 1e6).toFixed(1);
  const step = via === 'snapshot' ? 'snapshot' : 'componentize';
  console.error(`twirl componentize: ${mb} MB, bundle ${Math.round(bundleMs)} ms, ${step} ${Math.round(componentizeMs)} ms`);
}

/**
 * Gets the rebuild that `twirl componentize` with `argv` would make ready in this process (see
 * warmWorldEngine); does nothing where no engine is kept for its world. Errors are the next
 * build's to report.
 */
export async function warmComponentize(argv: string[], cwd: string): Promise<void> {
  try {
    const { preinit, rest } = takePreinitArg(argv);
    if (preinit === 'native') return;
    const args = parseComponentizeArgs(rest);
    await warmWorldEngine(await bundleEntry(resolve(cwd, args.entry)), args.world);
  } catch {
    // The next build runs the same steps and reports what fails.
  }
}

/** Reads `<entry> -o <out.wasm> [--world <name>]`, as a build without a shell (the browser's) reads it. */
export function parseComponentizeArgs(argv: string[]): ComponentizeCommand {
  const parsed = parseComponentizeCommand(['twirl', 'componentize', ...argv].join(' '));
  if (!parsed) throw new TwirlError('bad-arguments', 'usage: twirl componentize <entry.js|ts> -o <out.wasm> [--world <name>]');
  return parsed;
}
