/**
 * Under `npm start`, a published app sees its client's `ip:port` in `spin-client-addr`, as Spin
 * gives it and as `twirl up` does: the platform's front tells the platform worker, which tells
 * the app's isolate; a header a client sends of the same name is not believed.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { get as httpGet } from 'node:http';
import { legacyApp } from '../fixtures/spin1-toolchains.ts';
import { published, removeState, startWorker, text, zip } from './support/platform.ts';

const platform = await startWorker();
after(() => removeState(platform));

/** GET over a socket of our own, so the client's port is known: [status, body, our local port]. */
function getWithPort(url: string, headers: Record<string, string> = {}): Promise<[number, string, number]> {
  return new Promise((resolve, reject) => {
    const req = httpGet(url, { agent: false, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve([res.statusCode ?? 0, body, req.socket!.localPort!]));
    });
    req.on('error', reject);
  });
}

const headersOf = (body: string): Record<string, string> => Object.fromEntries(body.trimEnd().split('\n').map((line) => line.split(': ') as [string, string]));

test("Spin: a published app's spin-client-addr is the client's ip:port, and a client cannot forge it", async () => {
  const { manifest, files } = await legacyApp();
  const app = await published(platform, zip({ ...files, 'spin.toml': text(manifest) }));
  const [status, body, port] = await getWithPort(new URL('javascript/headers', app.url).href);
  assert.equal(status, 200, body);
  const seen = headersOf(body);
  assert.equal(seen['spin-client-addr'], `127.0.0.1:${port}`);
  assert.equal(seen['x-twirl-peer'], undefined);

  const [, forgedBody, forgedPort] = await getWithPort(new URL('javascript/headers', app.url).href, { 'x-twirl-peer': 'guess 10.0.0.1:1' });
  const forged = headersOf(forgedBody);
  assert.equal(forged['spin-client-addr'], `127.0.0.1:${forgedPort}`);
  assert.doesNotMatch(forgedBody, /10\.0\.0\.1|x-twirl-peer/);
});
