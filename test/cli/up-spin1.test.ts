/**
 * A Spin 1.x app — a `spin_version = "1"` manifest and a core module, not a component — runs
 * under `twirl up` unchanged and answers over HTTP, as under `spin up`.
 */
import assert from 'node:assert/strict';
import { copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { spin1Module } from '../fixtures/spin1-module.ts';
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
