/**
 * Bundling a component's sources held in memory (an app's files, npm packages as text) into one
 * ES module, as `node/toolchain/bundle.ts` does from disk: esbuild is passed in (esbuild-wasm in
 * a browser, the native one in Node), every file comes through one plugin.
 */
import type { BuildOptions, BuildResult, Loader, Message, Plugin } from 'esbuild-wasm';
import type { Diagnostic } from '../errors.ts';
import { resolveExport, splitSpecifier, type NpmPackage, type NpmPackages } from './npm-package.ts';
import { SourceError } from './source-error.ts';
import { SourceMap, type SourceMapJson } from './source-map.ts';
import { FETCH_LISTENER_PRELUDE } from './fetch-listener-errors.ts';

/** The part of esbuild's API used here; esbuild and esbuild-wasm both have it. */
export interface Esbuild {
  build(options: BuildOptions): Promise<BuildResult>;
}

export interface BundleInput {
  /** The app's text files by path (`src/index.js`). */
  files: ReadonlyMap<string, string>;
  /** The entry module's path among `files`. */
  entry: string;
  /** Where bare imports (`hono`) come from; without it, only relative imports and host interfaces resolve. */
  packages?: NpmPackages;
}

export interface FileBundle {
  code: string;
  /** Host interfaces the code imports, e.g. `fermyon:spin/key-value@2.0.0`. */
  hostImports: string[];
  /** Maps the bundle back to the app's files: `originalPosition(...).source` is an app path. */
  sourceMap: SourceMap;
}

/** Host interfaces stay as imports for componentize-js to bind against the world. */
const HOST_IMPORT = /^(fermyon|spin|wasi):/;
const NAMESPACE = 'twirl';
/** Packages live beside the app's files in one tree, as node_modules would. */
const PACKAGES_DIR = '/node_modules/';
const EXTENSIONS = ['', '.ts', '.tsx', '.js', '.mjs', '.jsx', '.cjs', '.json'];
const LOADERS: Record<string, Loader> = { ts: 'ts', mts: 'ts', cts: 'ts', tsx: 'tsx', js: 'js', mjs: 'js', cjs: 'js', jsx: 'jsx', json: 'json' };
export const BUNDLE_FILE = 'bundle.js';

/** Bundles `input.entry` and what it imports; a SourceError points at the user's line on failure. */
export async function bundleFiles(esbuild: Esbuild, input: BundleInput): Promise<FileBundle> {
  if (!input.files.has(input.entry)) throw new SourceError('bundle-failed', [{ code: 'missing-entry', message: `the entry ${input.entry} is not among the app's files`, file: input.entry, severity: 'error' }]);
  let result: BuildResult;
  try {
    result = await esbuild.build({
      entryPoints: [input.entry],
      bundle: true,
      write: false,
      outfile: `/${BUNDLE_FILE}`,
      format: 'esm',
      platform: 'neutral',
      target: 'es2022',
      sourcemap: 'external',
      sourcesContent: false,
      banner: { js: FETCH_LISTENER_PRELUDE },
      metafile: true,
      logLevel: 'silent',
      plugins: [memoryFiles(input)],
    });
  } catch (err) {
    const errors = (err as { errors?: Message[] }).errors;
    if (!errors?.length) throw err;
    throw new SourceError('bundle-failed', errors.map(diagnosticOf), { cause: err });
  }
  const code = result.outputFiles?.find((o) => o.path.endsWith(`/${BUNDLE_FILE}`))?.text;
  const map = result.outputFiles?.find((o) => o.path.endsWith('.map'))?.text;
  if (code === undefined || map === undefined) throw new Error(`esbuild produced no bundle for ${input.entry}`);
  const hostImports = Object.values(result.metafile?.outputs ?? {})
    .flatMap((o) => o.imports)
    .filter((i) => i.external)
    .map((i) => i.path);
  const json = JSON.parse(map) as SourceMapJson;
  return { code, hostImports, sourceMap: new SourceMap({ ...json, sources: json.sources.map(appPath) }) };
}

/** `twirl:/src/index.js` (esbuild's name for a file of this plugin) → `src/index.js`. */
export const appPath = (name: string): string => name.replace(new RegExp(`^${NAMESPACE}:`), '').replace(/^\//, '');

function diagnosticOf(m: Message): Diagnostic {
  const loc = m.location;
  if (!loc) return { code: 'bundle-failed', message: m.text, file: '', severity: 'error' };
  return { code: 'bundle-failed', message: m.text, file: appPath(loc.file), line: loc.line, column: loc.column + 1, lineText: loc.lineText, severity: 'error' };
}

function memoryFiles(input: BundleInput): Plugin {
  const packages = new Map<string, Promise<NpmPackage | undefined>>();
  const loadPackage = (name: string) => {
    let found = packages.get(name);
    if (!found) packages.set(name, (found = input.packages?.load(name) ?? Promise.resolve(undefined)));
    return found;
  };
  /** Absolute path in the tree → text: the app's files and the packages' files. */
  const read = async (path: string): Promise<string | undefined> => {
    if (!path.startsWith(PACKAGES_DIR)) return input.files.get(path.slice(1));
    const [name, inside] = splitPackagePath(path);
    return (await loadPackage(name))?.files[inside];
  };
  const probe = async (path: string): Promise<string | undefined> => {
    for (const candidate of [...EXTENSIONS.map((e) => path + e), ...EXTENSIONS.slice(1).map((e) => `${path}/index${e}`)]) {
      if ((await read(candidate)) !== undefined) return candidate;
    }
    return undefined;
  };

  return {
    name: 'twirl-memory-files',
    setup(build) {
      build.onResolve({ filter: /.*/ }, async (args) => {
        if (HOST_IMPORT.test(args.path)) return { path: args.path, external: true };
        if (args.kind === 'entry-point') return { path: `/${args.path}`, namespace: NAMESPACE };
        if (args.path.startsWith('.') || args.path.startsWith('/')) {
          const base = args.importer ? args.importer.slice(0, args.importer.lastIndexOf('/') + 1) : '/';
          const wanted = normalise(args.path.startsWith('/') ? args.path : base + args.path);
          const found = await probe(wanted);
          return found ? { path: found, namespace: NAMESPACE } : { errors: [{ text: `Could not resolve "${args.path}"` }] };
        }
        return resolvePackage(args.path);
      });
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, async (args) => {
        const contents = await read(args.path);
        if (contents === undefined) return { errors: [{ text: `no file ${appPath(args.path)}` }] };
        return { contents, loader: LOADERS[args.path.split('.').pop() ?? ''] ?? 'js' };
      });
    },
  };

  async function resolvePackage(specifier: string) {
    const [name, subpath] = splitSpecifier(specifier);
    const pkg = await loadPackage(name);
    if (!pkg) {
      const available = (await input.packages?.available()) ?? [];
      const hint = available.length ? `the browser build has ${available.join(', ')}` : 'the browser build has no npm packages';
      return { errors: [{ text: `Could not resolve "${specifier}": ${hint}` }] };
    }
    const file = resolveExport(pkg.manifest, subpath);
    const found = file === undefined ? undefined : await probe(normalise(`${PACKAGES_DIR}${name}/${file}`));
    return found ? { path: found, namespace: NAMESPACE } : { errors: [{ text: `Could not resolve "${specifier}": ${name} does not export ${subpath}` }] };
  }
}

/** `/node_modules/@scope/pkg/dist/a.js` → `['@scope/pkg', 'dist/a.js']`. */
function splitPackagePath(path: string): [string, string] {
  const parts = path.slice(PACKAGES_DIR.length).split('/');
  const size = parts[0]?.startsWith('@') ? 2 : 1;
  return [parts.slice(0, size).join('/'), parts.slice(size).join('/')];
}

/** Resolves `.` and `..` in an absolute path. */
function normalise(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '..') parts.pop();
    else if (part && part !== '.') parts.push(part);
  }
  return `/${parts.join('/')}`;
}
