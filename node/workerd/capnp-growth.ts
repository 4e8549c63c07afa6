/**
 * miniflare writes workerd's whole configuration — Wasm modules included, tens of MB — into one
 * Cap'n Proto segment that its bundled capnp-es grows by the size of each allocation, copying the
 * segment every time: thousands of copies of tens of MB, seconds of CPU at every start. Imported
 * before any module that imports miniflare is loaded (hooks see a module's source when the graph
 * that imports it is built, before anything in it runs) — the CLI's entry, the test lanes and the
 * bench do — it makes the segment grow by doubling instead (the message's bytes are the same: only
 * the used part of a segment is written out). Where the hook API is missing (Node before 22.15)
 * or the code is not found, miniflare loads as it is.
 */
import module from 'node:module';

const LINEAR = 's.buffer = new ArrayBuffer(srcBuffer.byteLength + minSize);';
const DOUBLING = 's.buffer = new ArrayBuffer(Math.max(srcBuffer.byteLength * 2, srcBuffer.byteLength + minSize));';

const registerHooks = (module as { registerHooks?: (hooks: { load: LoadHook }) => unknown }).registerHooks;
type LoadResult = { format?: string | null; source?: string | ArrayBuffer | ArrayBufferView | null; shortCircuit?: boolean };
type LoadHook = (url: string, context: object, nextLoad: (url: string, context?: object) => LoadResult) => LoadResult;

const REGISTERED = Symbol.for('twirl.capnp-growth');
const state = globalThis as { [REGISTERED]?: { patched: boolean } };

/** Whether miniflare, loaded in this process, grows its segment by doubling. */
export const miniflarePatched = (): boolean => state[REGISTERED]?.patched ?? false;

// `npm run bench up` starts the CLI with TWIRL_MINIFLARE_AS_SHIPPED=1 for its baseline.
if (!state[REGISTERED] && process.env['TWIRL_MINIFLARE_AS_SHIPPED'] !== '1') {
  const seen: { patched: boolean } = { patched: false };
  state[REGISTERED] = seen;
  registerHooks?.({
    load(url, context, nextLoad) {
      const loaded = nextLoad(url, context);
      if (!url.endsWith('/node_modules/miniflare/dist/src/index.js') || loaded.source == null) return loaded;
      const source = typeof loaded.source === 'string' ? loaded.source : new TextDecoder().decode(loaded.source as ArrayBufferView);
      if (!source.includes(LINEAR)) return loaded;
      seen.patched = true;
      return { ...loaded, source: source.replace(LINEAR, DOUBLING) };
    },
  });
}
