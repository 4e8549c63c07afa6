import { build, type Message } from 'esbuild';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { TwirlError } from '../../shared/errors.ts';
import { SourceMap, type SourceMapJson } from '../../shared/build/source-map.ts';
import { FETCH_LISTENER_PRELUDE } from '../../shared/build/fetch-listener-errors.ts';
import { BUNDLE_FILE } from '../../shared/build/bundle-files.ts';

/** Host interfaces stay as imports for componentize-js to bind against the world. */
const HOST_IMPORTS = ['fermyon:*', 'spin:*', 'wasi:*'];

export interface Bundle {
  code: string;
  /** Host interfaces the code imports, e.g. `fermyon:spin/key-value@2.0.0`. */
  hostImports: string[];
  /** Maps the bundle back to its sources, named by absolute path. */
  sourceMap: SourceMap;
}

/** Bundles a JS/TS entry and its npm imports into one ES module. */
export async function bundleEntry(entry: string): Promise<Bundle> {
  try {
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'neutral',
      target: 'es2022',
      mainFields: ['module', 'main'],
      conditions: ['workerd', 'worker', 'browser'],
      external: HOST_IMPORTS,
      metafile: true,
      logLevel: 'silent',
      // Written beside the bundle, not linked from it: the code is what it was without a map.
      outfile: resolve(BUNDLE_FILE),
      sourcemap: 'external',
      sourcesContent: false,
      banner: { js: FETCH_LISTENER_PRELUDE },
    });
    const code = result.outputFiles.find((o) => o.path.endsWith(`/${BUNDLE_FILE}`))?.text;
    const map = result.outputFiles.find((o) => o.path.endsWith('.map'))?.text;
    if (code === undefined || map === undefined) throw new TwirlError('bundle-failed', `esbuild produced no output for ${entry}`);
    const hostImports = Object.values(result.metafile.outputs)
      .flatMap((o) => o.imports)
      .filter((i) => i.external)
      .map((i) => i.path);
    // esbuild names the sources relative to the bundle's folder, the working directory.
    const json = JSON.parse(map) as SourceMapJson;
    return { code, hostImports, sourceMap: new SourceMap({ ...json, sources: json.sources.map((s) => resolve(s)) }) };
  } catch (err) {
    const errors = (err as { errors?: Message[] }).errors;
    if (!errors?.length) throw err;
    throw new TwirlError('bundle-failed', errors.map((m) => withInstallHint(formatMessage(m), m, entry)).join('\n'), { cause: err });
  }
}

/** `src/index.js:3:7: error: Expected ";" but found "x"` then the line itself. */
function formatMessage(m: Message): string {
  const loc = m.location;
  if (!loc) return `error: ${m.text}`;
  const file = relative(process.cwd(), loc.file) || loc.file;
  return `${file}:${loc.line}:${loc.column + 1}: error: ${m.text}\n    ${loc.lineText.trim()}`;
}

/** A bare import esbuild could not find is a package not installed (yet): say how to install it. */
function withInstallHint(text: string, m: Message, entry: string): string {
  const name = /^Could not resolve "((?:@[^/"]+\/)?[^/".][^/"]*)[^"]*"$/.exec(m.text)?.[1];
  if (!name || name.includes(':')) return text;
  const manifest = packageJsonAbove(dirname(entry));
  const listed = manifest && [manifest.json.dependencies, manifest.json.devDependencies].some((deps) => deps && name in deps);
  const hint = listed
    ? `${name} is a dependency in ${relative(process.cwd(), manifest.path) || 'package.json'} but is not installed: run \`npm install\``
    : `no package ${name} is installed: \`npm install ${name}\` adds it`;
  return `${text}\n    (${hint})`;
}

interface PackageJson {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

function packageJsonAbove(dir: string): { path: string; json: PackageJson } | undefined {
  for (let at = dir; ; at = dirname(at)) {
    const path = join(at, 'package.json');
    try {
      return { path, json: JSON.parse(readFileSync(path, 'utf8')) as PackageJson };
    } catch {
      if (dirname(at) === at) return undefined;
    }
  }
}
