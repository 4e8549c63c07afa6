/** The key-value contract against the playground's IndexedDB backend, in real Chromium. */
import { after, before } from 'node:test';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';
import type { KeyValueBackend, KeyValueStore } from '../../shared/ports.ts';
import { runKeyValueContract } from '../support/key-value-contract.ts';
import { freshBrowser, type FreshBrowser } from '../../node/browser/chromium.ts';

let browser: FreshBrowser;
let server: Server;
let apps = 0;

before(async () => {
  const bundle = await build({
    stdin: { contents: "import { IdbKeyValueBackend } from './web/key-value-idb.ts'; globalThis.IdbKeyValueBackend = IdbKeyValueBackend;", resolveDir: process.cwd(), loader: 'ts' },
    bundle: true,
    format: 'esm',
    write: false,
  });
  const script = bundle.outputFiles[0]!.text;
  server = createServer((req, res) => {
    if (req.url === '/kv.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    else res.writeHead(200, { 'content-type': 'text/html' }).end('<script type="module" src="/kv.js"></script>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  browser = await freshBrowser();
  await browser.page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  await browser.page.waitForFunction(() => 'IdbKeyValueBackend' in globalThis);
});

after(async () => {
  await browser?.close();
  server?.close();
});

/** A store whose every call runs in the page, on IndexedDB; bytes cross as arrays of numbers. */
function remoteStore(page: Page, app: string, label: string): KeyValueStore {
  const call = (method: string, ...args: unknown[]) =>
    page.evaluate(
      async ([app, label, method, args]) => {
        const Backend = (globalThis as unknown as { IdbKeyValueBackend: new (app: string) => KeyValueBackend }).IdbKeyValueBackend;
        const store = (await new Backend(app as string).open(label as string)) as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
        const decoded = (args as unknown[]).map((a) => (Array.isArray(a) ? Uint8Array.from(a as number[]) : a));
        const result = await store[method as string]!(...decoded);
        return result instanceof Uint8Array ? { bytes: Array.from(result) } : { value: result };
      },
      [app, label, method, args.map((a) => (a instanceof Uint8Array ? Array.from(a) : a))] as const,
    ).then((r) => ('bytes' in r ? Uint8Array.from(r.bytes as number[]) : r.value));
  return {
    get: (key) => call('get', key) as Promise<Uint8Array | undefined>,
    set: (key, value) => call('set', key, value) as Promise<void>,
    delete: (key) => call('delete', key) as Promise<void>,
    exists: (key) => call('exists', key) as Promise<boolean>,
    keys: () => call('keys') as Promise<string[]>,
  };
}

// Each backend made is a new app id: the same database, separate data — as in the playground.
runKeyValueContract('IndexedDB backend (Chromium)', () => {
  const app = `contract-${apps++}`;
  return { open: async (label) => remoteStore(browser.page, app, label) };
});
