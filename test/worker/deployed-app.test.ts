import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deployApp } from '../../node/workerd/deploy.ts';
import { builtTemplate } from '../../node/templates/built-template.ts';
import { removeState, startWorker } from './support/platform.ts';
import { runRoutingContract } from '../support/routing-contract.ts';

const { dir } = await builtTemplate('multi-route');
const worker = await startWorker({ appDir: dir });
after(() => removeState(worker));
const origin = worker.at('/').origin;

// workerd gives no client port; Spin's header keeps the address's shape.
runRoutingContract('deployed bundle on workerd', (path, init) => fetch(worker.at(path), init), { origin, clientAddr: /^127\.0\.0\.1:\d+$/ });

test('wrangler accepts the deployed-mode bundle (deploy --dry-run), and uploads nothing else in its folder', async () => {
  const outDir = await mkdtemp(join(tmpdir(), 'twirl-bundle-'));
  // As with `--outdir dist` in an app whose components are built to dist/.
  await writeFile(join(outDir, 'stray.wasm'), new Uint8Array([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0]));
  try {
    const result = await deployApp({ appDir: dir, dryRun: true, outDir, echo: false });
    assert.equal(result.workerName, 'multi-route');
    assert.match(result.output, /--dry-run: exiting now/);
    assert.match(result.output, /env\.KEY_VALUE \(KeyValueObject\)\s+Durable Object/);
    assert.match(result.output, /app\.js/);
    // Glue, engine and snapshots are named by content: a compiled Wasm module, a data module.
    for (const kind of ['js', 'wasm', 'bin']) assert.match(result.output, new RegExp(`content/[0-9a-f]{32}\\.${kind}`));
    assert.doesNotMatch(result.output, /stray\.wasm/);
    assert.match(await readFile(join(outDir, 'wrangler.toml'), 'utf8'), /new_sqlite_classes = \["KeyValueObject"\]/);
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
});

test('the worker adds no response headers of its own', async () => {
  const res = await fetch(worker.at('/hello'), { headers: { 'accept-encoding': 'identity' } });
  await res.arrayBuffer();
  assert.deepEqual([...res.headers.keys()].filter((h) => !['content-length', 'transfer-encoding'].includes(h)), ['content-type']);
});
