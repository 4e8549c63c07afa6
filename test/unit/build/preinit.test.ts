import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EngineOptions } from '../../../shared/engine.ts';
import { builtTemplate } from '../../../node/templates/built-template.ts';
import { engineFor, tsBuiltTemplate } from './ts-built-template.ts';

const upstreamServer = createServer((req, res) => {
  res.setHeader('content-type', 'text/plain');
  res.end(`upstream saw ${req.method} ${req.url}`);
});
await new Promise<void>((resolve) => upstreamServer.listen(0, '127.0.0.1', resolve));
after(() => upstreamServer.close());
const upstream = `http://127.0.0.1:${(upstreamServer.address() as AddressInfo).port}/data?q=1`;

type Exchange = [path: string, init?: RequestInit];

/** Each template's requests, in order (state such as the counter carries from one to the next). */
const cases: Record<string, { requests: Exchange[]; options?: Partial<EngineOptions> }> = {
  'http-js': { requests: [['/'], ['/hello/there?x=1'], ['/submit', { method: 'POST', body: 'hi' }], ['/.well-known/spin/health']] },
  'http-ts': { requests: [['/'], ['/a/b/c'], ['/x', { method: 'DELETE' }]] },
  'http-hono': {
    requests: [['/'], ['/hello/ada'], ['/echo', { method: 'POST', body: 'ping' }], ['/missing'], ['/echo']],
  },
  'kv-counter': {
    requests: [
      ['/'],
      ['/'],
      ['/kv/greeting', { method: 'PUT', body: 'hi there' }],
      ['/kv/greeting'],
      ['/kv'],
      ['/kv/greeting', { method: 'DELETE' }],
      ['/kv/greeting'],
      ['/kv/x', { method: 'PATCH' }],
    ],
  },
  'multi-route': {
    requests: [['/hello'], ['/api/items/42'], ['/users/17'], ['/anything/else?q=1'], ['/internal'], ['/hello', { method: 'POST', body: 'x' }]],
  },
  variables: { requests: [['/'], ['/other']], options: { variables: { name: 'Ada' } } },
  'static-files': { requests: [['/'], ['/hello.txt'], ['/index.html'], ['/nope.txt'], ['/%2e%2e/spin.toml']] },
  'outbound-http': {
    requests: [['/'], [`/?url=${encodeURIComponent('http://example.org/')}`]],
    options: { variables: { upstream } },
  },
};

interface Answer {
  status: number;
  headers: Array<[string, string]>;
  body: string;
}

async function answers(request: (path: string, init?: RequestInit) => Promise<Response>, exchanges: Exchange[]): Promise<Answer[]> {
  const out: Answer[] = [];
  for (const [path, init] of exchanges) {
    const res = await request(path, init);
    const body = Buffer.from(await res.arrayBuffer()).toString('base64');
    out.push({ status: res.status, headers: [...res.headers].sort(([a], [b]) => a.localeCompare(b)), body });
  }
  return out;
}

for (const [name, { requests, options }] of Object.entries(cases)) {
  test(`${name}: pre-initialised in TypeScript, it answers exactly as the natively built component`, async () => {
    const [nativeBuilt, tsBuilt] = [await builtTemplate(name), await tsBuiltTemplate(name)];
    for (const [id, bytes] of Object.entries(tsBuilt.components)) {
      assert.notDeepEqual(bytes, nativeBuilt.components[id], `${id} was built anew, not copied from the native build`);
    }
    const native = await answers(await engineFor(nativeBuilt, options), requests);
    const ts = await answers(await engineFor(tsBuilt, options), requests);
    assert.ok(native.some((a) => a.status === 200), 'the template answered something');
    assert.deepEqual(ts, native);
  });
}
