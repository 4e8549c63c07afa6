/**
 * miniflare's config segment grows by doubling in the test lanes' processes (capnp-growth.ts,
 * loaded by `--import`) and the CLI's, and the config it writes for workerd is byte for byte
 * the one unpatched miniflare writes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { miniflarePatched } from '../../../node/workerd/capnp-growth.ts';

/** A config shaped like Twirl's: big Wasm modules, then many small things after them. */
const CONFIG_SOURCE = `
const wasm = (n, seed) => new Uint8Array(n).fill(seed);
export const config = {
  services: Array.from({ length: 20 }, (_, i) => ({
    name: 'service-' + i,
    worker: {
      modules: [
        { name: 'index.js', esModule: 'export default { fetch() { return new Response(' + i + '); } }' },
        ...(i < 2 ? [{ name: 'engine-' + i + '.wasm', wasm: wasm(3 << 20, i + 7) }] : []),
      ],
      compatibilityDate: '2025-09-01',
      bindings: Array.from({ length: 20 }, (_, j) => ({ name: 'VAR_' + j, text: 'value ' + i + '.' + j })),
    },
  })),
  sockets: [{ name: 'http', address: '127.0.0.1:0', http: {}, service: { name: 'service-0' } }],
};`;

const digestScript = `
const { serializeConfig } = await import('miniflare');
const { config } = await import('data:text/javascript,' + encodeURIComponent(${JSON.stringify(CONFIG_SOURCE)}));
const { createHash } = await import('node:crypto');
process.stdout.write(createHash('sha256').update(serializeConfig(config)).digest('hex'));`;

const hook = fileURLToPath(new URL('../../../node/workerd/capnp-growth.ts', import.meta.url));
const digestIn = (execArgv: string[]): string => execFileSync(process.execPath, [...execArgv, '--input-type=module', '-e', digestScript], { encoding: 'utf8', cwd: fileURLToPath(new URL('../../..', import.meta.url)) });

test("miniflare loaded after the hook grows its config segment by doubling, and writes the same bytes as unpatched miniflare", async () => {
  const { serializeConfig } = await import('miniflare');
  assert.ok(miniflarePatched(), 'miniflare in this process was loaded with the doubling segment');
  assert.equal(typeof serializeConfig, 'function');
  const patched = digestIn(['--import', hook]);
  const unpatched = digestIn([]);
  assert.match(patched, /^[0-9a-f]{64}$/);
  assert.equal(patched, unpatched);
});
