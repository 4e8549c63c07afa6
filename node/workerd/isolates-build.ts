/**
 * Builds the code that runs in isolates other than the platform worker's own: a deployed app's
 * runtime, a published app's runtime and the transpiler. Each is one ES module (plus, for the
 * transpiler, the bindgen's Wasm modules); `./app.js` stays an import, generated per app.
 */
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { bindgenWasmModules } from './bindgen-plugin.ts';

const isolatesDir = fileURLToPath(new URL('../../worker/isolates/', import.meta.url));

export interface IsolateBundle {
  /** Content hash: names cached isolates and prepared output, so a new build is never mixed with an old one. */
  id: string;
  source: string;
  /** Module name → bytes of Wasm modules the source imports. */
  wasm: Map<string, Uint8Array>;
}

/** How every module that runs in workerd is bundled: one ES module, workerd's export conditions. */
export const workerdBundle = {
  bundle: true,
  write: false,
  format: 'esm',
  platform: 'browser',
  target: 'es2023',
  conditions: ['workerd', 'worker', 'browser'],
  legalComments: 'none',
  logLevel: 'silent',
} as const satisfies esbuild.BuildOptions;

async function bundle(entry: string, plugins: esbuild.Plugin[] = []): Promise<string> {
  const result = await esbuild.build({
    ...workerdBundle,
    entryPoints: [isolatesDir + entry],
    // `node:*`: the bindgen's Node-only file loading, never reached in workerd.
    external: ['cloudflare:*', 'node:*', './app.js'],
    plugins,
  });
  return result.outputFiles[0]!.text;
}

function identify(source: string, wasm: Map<string, Uint8Array>): string {
  const hash = createHash('sha256').update(source);
  for (const [name, bytes] of wasm) hash.update(name).update(bytes);
  return hash.digest('hex').slice(0, 16);
}

async function build(entry: string, withBindgen = false): Promise<IsolateBundle> {
  const wasm = new Map<string, Uint8Array>();
  const source = await bundle(entry, withBindgen ? [bindgenWasmModules(wasm)] : []);
  return { id: identify(source, wasm), source, wasm };
}

let built: Promise<{ deployed: IsolateBundle; published: IsolateBundle; transpiler: IsolateBundle }> | undefined;

/** All three, built once per process. */
export function buildIsolates() {
  built ??= Promise.all([build('deployed-entry.ts'), build('published-entry.ts'), build('transpiler-entry.ts', true)]).then(
    ([deployed, published, transpiler]) => ({ deployed, published, transpiler }),
  );
  return built;
}
