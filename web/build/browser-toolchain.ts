/**
 * The in-browser build's toolchain, loaded once per worker: esbuild-wasm and the WIT as text
 * (all a rebuild that makes only a snapshot needs), and for a full build componentize-js's
 * engine and splicer and jco's WASI adapter. Vite serves the files (aliases in vite.config.ts);
 * nothing here talks to a build server.
 */
import { build, initialize } from 'esbuild-wasm/esm/browser.js';
import esbuildWasmUrl from 'esbuild-wasm/esbuild.wasm?url';
import engineUrl from 'componentize-js-files/lib/starlingmonkey_embedding.wasm?url';
import adapterUrl from 'jco-files/lib/wasi_snapshot_preview1.reactor.wasm?url';
import { version } from 'componentize-js-files/package.json';
import wasiHttp from 'jco-files/lib/wit/builtin/0.2.12/wasi-http/package.wit?raw';
import wasiIo from 'jco-files/lib/wit/builtin/0.2.12/wasi-io/package.wit?raw';
import wasiCli from 'jco-files/lib/wit/builtin/0.2.12/wasi-cli/package.wit?raw';
import wasiClocks from 'jco-files/lib/wit/builtin/0.2.12/wasi-clocks/package.wit?raw';
import wasiRandom from 'jco-files/lib/wit/builtin/0.2.12/wasi-random/package.wit?raw';
import wasiFilesystem from 'jco-files/lib/wit/builtin/0.2.12/wasi-filesystem/package.wit?raw';
import wasiSockets from 'jco-files/lib/wit/builtin/0.2.12/wasi-sockets/package.wit?raw';
import type { Esbuild } from '../../shared/build/bundle-files.ts';
import type { WitSources } from '../../shared/build/component-input.ts';
import type { JsToolchain, Splicer } from '../../shared/build/componentize.ts';
import { JCO_WASI_VERSION, WASI_PACKAGES } from '../../shared/build/wit-files.ts';
import { lazyRetrying } from '../../shared/lazy.ts';

/** jco's WASI WIT, imported above from the folder of this version. */
const JCO_WIT_VERSION = '0.2.12';
const jcoWasi: Record<(typeof WASI_PACKAGES)[number], string> = {
  'wasi-http': wasiHttp,
  'wasi-io': wasiIo,
  'wasi-cli': wasiCli,
  'wasi-clocks': wasiClocks,
  'wasi-random': wasiRandom,
  'wasi-filesystem': wasiFilesystem,
  'wasi-sockets': wasiSockets,
};
const twirlWit = import.meta.glob<string>('../../shared/wit/*.wit', { query: '?raw', import: 'default', eager: true });

/** componentize-js's version: part of a world's key (shared/build/world-key.ts). */
export const componentizeVersion: string = version;

export interface BundleTools {
  esbuild: Esbuild;
  wit: WitSources;
}

export interface BrowserTools extends BundleTools {
  toolchain: JsToolchain;
  reuseWorldComponent: boolean;
}

/** esbuild, initialised on first use, and the WIT. */
export const bundleTools: () => Promise<BundleTools> = lazyRetrying(loadBundleTools);

/** The whole toolchain, fetched and compiled on first use; the same objects afterwards (the splice cache hangs on them). */
export const browserTools: () => Promise<BrowserTools> = lazyRetrying(load);

async function loadBundleTools(): Promise<BundleTools> {
  if (JCO_WIT_VERSION !== JCO_WASI_VERSION) throw new Error(`the browser build imports jco's WIT ${JCO_WIT_VERSION}, the build expects ${JCO_WASI_VERSION}`);
  // esbuild runs in this (worker) thread: the build is already off the page's.
  await initialize({ wasmURL: served(esbuildWasmUrl), worker: false });
  const twirl = new Map(Object.entries(twirlWit).map(([path, text]) => [path.split('/').pop()!, text]));
  return { esbuild: { build }, wit: { twirl, jcoWasi: new Map(Object.entries(jcoWasi)) } };
}

async function load(): Promise<BrowserTools> {
  const [bundling, engine, preview1Adapter, { splicer }] = await Promise.all([
    bundleTools(),
    fetchBytes(engineUrl),
    fetchBytes(adapterUrl),
    import('componentize-js-files/lib/spidermonkey-embedding-splicer.js') as Promise<unknown> as Promise<{ splicer: Splicer }>,
  ]);
  return { ...bundling, toolchain: { engine, preview1Adapter, splicer, version }, reuseWorldComponent: true };
}

/**
 * An asset's URL from the playground that serves this module: vite writes them root-relative,
 * and a worker started through a blob (the embed on another origin) has no base to resolve them.
 */
export const served = (url: string): string => new URL(url, import.meta.url).href;

async function fetchBytes(url: string): Promise<Uint8Array> {
  const response = await fetch(served(url));
  if (!response.ok) throw new Error(`fetching ${url} failed: ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}
