/**
 * A Spin 1.x app — a `spin_version = "1"` manifest and core modules, not components — runs
 * under `twirl up` unchanged and answers over HTTP, as under `spin up`.
 */
import assert from 'node:assert/strict';
import { copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { get as httpGet } from 'node:http';
import { spin1Module } from '../fixtures/spin1-module.ts';
import { GREETINGS, legacyApp } from '../fixtures/spin1-toolchains.ts';
import { tempDir, twirlServing, type Serving } from './run-twirl.ts';

describe('twirl up of a Spin 1.x module app', () => {
  let remove: () => Promise<void>;
  let serving: Serving;
  before(async () => {
    let dir: string;
    ({ dir, remove } = await tempDir());
    await copyFile(new URL('../fixtures/spin1/spin.toml', import.meta.url), join(dir, 'spin.toml'));
    await writeFile(join(dir, 'probe.wasm'), spin1Module());
    serving = await twirlServing(['up', '--listen', '127.0.0.1:0'], dir, 300_000);
  });
  after(async () => {
    await serving?.stop();
    await remove();
  });

  it('answers through handle-http-request, with the body and headers the module gives', async () => {
    const response = await fetch(`${serving.url}/hello`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/plain');
    assert.equal(await response.text(), 'Hello, Spin 1.x!\n');
  });

  it('keeps key-value data in the granted store and reads config from the app variables', async () => {
    const stored = await fetch(`${serving.url}/kv`, { method: 'POST', body: 'kept over HTTP' });
    assert.equal(stored.status, 200);
    assert.equal(await stored.text(), 'kept over HTTP');
    const config = await fetch(`${serving.url}/config`);
    assert.equal(await config.text(), 'hello from config');
  });
});

/** GET over a socket of our own, so the client's port is known: [status, body, our local port]. */
function getWithPort(url: string): Promise<[number, string, number]> {
  return new Promise((resolve, reject) => {
    const req = httpGet(url, { agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve([res.statusCode ?? 0, body, req.socket!.localPort!]));
    });
    req.on('error', reject);
  });
}

describe("twirl up of Spin's legacy apps (TinyGo, Rust, JS and TS modules)", () => {
  let remove: () => Promise<void>;
  let serving: Serving;
  before(async () => {
    let dir: string;
    ({ dir, remove } = await tempDir());
    const { manifest, files } = await legacyApp();
    await writeFile(join(dir, 'spin.toml'), manifest);
    for (const [name, bytes] of Object.entries(files)) await writeFile(join(dir, name), bytes);
    serving = await twirlServing(['up', '--listen', '127.0.0.1:0'], dir, 300_000);
  });
  after(async () => {
    await serving?.stop();
    await remove();
  });

  it("answers each module with the body Spin's integration test expects", async () => {
    for (const [route, expected] of [['golang', GREETINGS.go], ['rust', GREETINGS.rust], ['javascript', GREETINGS.javascript], ['typescript', GREETINGS.typescript]] as const) {
      const response = await fetch(`${serving.url}/${route}`);
      assert.equal(response.status, 200, route);
      assert.equal(await response.text(), expected, route);
    }
  });

  it("spin-client-addr is the client's ip:port, as Spin gives it, and a client cannot forge it", async () => {
    const [status, body, port] = await getWithPort(`${serving.url}/javascript/headers`);
    assert.equal(status, 200);
    const headers = Object.fromEntries(body.trimEnd().split('\n').map((line) => line.split(': ') as [string, string]));
    assert.equal(headers['spin-client-addr'], `127.0.0.1:${port}`);
    assert.equal(headers['x-twirl-peer'], undefined);
    const forged = await fetch(`${serving.url}/javascript/headers`, { headers: { 'x-twirl-peer': 'guess 10.0.0.1:1' } });
    const seen = await forged.text();
    assert.match(seen, /^spin-client-addr: 127\.0\.0\.1:[1-9]\d*$/m);
    assert.doesNotMatch(seen, /10\.0\.0\.1|x-twirl-peer/);
  });
});
