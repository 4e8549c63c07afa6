/**
 * The key-value contract against the edge backends, running in workerd: a deployed app's
 * (DurableObjectKeyValueBackend: each (app, label) store a SQLite Durable Object) and a published
 * app's (RpcKeyValueBackend through the platform's KeyValueGate). A small worker exposes a
 * backend over HTTP; requests reach it through miniflare's dispatchFetch, no port.
 */
import { after } from 'node:test';
import { join } from 'node:path';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import type { KeyValueStore } from '../../shared/ports.ts';
import { COMPATIBILITY_DATE, COMPATIBILITY_FLAGS } from '../../worker/compatibility.ts';
import { workerdBundle } from '../../node/workerd/isolates-build.ts';
import { runKeyValueContract } from '../support/key-value-contract.ts';

const entry = `
import { DurableObjectKeyValueBackend, RpcKeyValueBackend } from './worker/key-value-backend.ts';
export { KeyValueObject } from './worker/key-value-object.ts';
export { KeyValueGate } from './worker/gates.ts';

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    const [, via, app, label, op] = url.pathname.split('/').map(decodeURIComponent);
    const backend = via === 'gate'
      ? new RpcKeyValueBackend(ctx.exports.KeyValueGate({ props: { appId: app, stores: ['default', 'a', 'b'] } }))
      : new DurableObjectKeyValueBackend(env.KEY_VALUE, app);
    const store = await backend.open(label);
    const key = url.searchParams.get('key') ?? '';
    switch (op) {
      case 'get': {
        const value = await store.get(key);
        return value === undefined ? new Response(null, { status: 404 }) : new Response(value);
      }
      case 'set':
        await store.set(key, new Uint8Array(await request.arrayBuffer()));
        return new Response(null, { status: 204 });
      case 'delete':
        await store.delete(key);
        return new Response(null, { status: 204 });
      case 'exists':
        return Response.json(await store.exists(key));
      case 'keys':
        return Response.json(await store.keys());
    }
    return new Response('unknown operation ' + op, { status: 400 });
  },
};
`;

const bundled = await build({
  ...workerdBundle,
  stdin: { contents: entry, resolveDir: join(import.meta.dirname, '../..'), loader: 'ts' },
  external: ['cloudflare:*'],
});
const mf = new Miniflare({
  modules: true,
  script: bundled.outputFiles[0]!.text,
  compatibilityDate: COMPATIBILITY_DATE,
  compatibilityFlags: COMPATIBILITY_FLAGS,
  durableObjects: { KEY_VALUE: { className: 'KeyValueObject', useSQLite: true } },
});
after(() => mf.dispose());

type Via = 'object' | 'gate';

async function call(via: Via, app: string, label: string, op: string, key = '', body?: Uint8Array): Promise<Response> {
  const url = `http://kv/${via}/${encodeURIComponent(app)}/${encodeURIComponent(label)}/${op}?key=${encodeURIComponent(key)}`;
  const res = await mf.dispatchFetch(url, body ? { method: 'PUT', body } : {});
  if (res.status >= 400 && res.status !== 404) throw new Error(`${op} ${JSON.stringify(key)}: ${res.status} ${await res.text()}`);
  return res as unknown as Response;
}

function remoteStore(via: Via, app: string, label: string): KeyValueStore {
  return {
    async get(key) {
      const res = await call(via, app, label, 'get', key);
      if (res.status === 404) return undefined;
      return new Uint8Array(await res.arrayBuffer());
    },
    set: async (key, value) => void (await (await call(via, app, label, 'set', key, value)).arrayBuffer()),
    delete: async (key) => void (await (await call(via, app, label, 'delete', key)).arrayBuffer()),
    exists: async (key) => (await (await call(via, app, label, 'exists', key)).json()) as boolean,
    keys: async () => (await (await call(via, app, label, 'keys')).json()) as string[],
  };
}

let apps = 0;
// Each backend made is a new app: its own Durable Objects, as two apps have.
const backend = (via: Via) => () => {
  const app = `contract-${apps++}`;
  return { open: async (label: string) => remoteStore(via, app, label) };
};
runKeyValueContract('Durable Object backend (workerd)', backend('object'));
runKeyValueContract("published app's key-value gate (workerd RPC)", backend('gate'));
