import { test } from 'node:test';
import assert from 'node:assert/strict';
import { unzipSync } from 'fflate';
import { published, removeState, sha256Hex, startWorker, templateFiles, zip } from './support/platform.ts';
import { storedObjects, type StoredObject } from '../../bench/published-storage.ts';

test('two published JS apps store one engine between them, each only its snapshots, and answer as before', async (t) => {
  const platform = await startWorker();
  let stopped = false;
  try {
    const apps = { 'http-js': await templateFiles('http-js'), 'multi-route': await templateFiles('multi-route') };
    const hello = await published(platform, zip(apps['http-js']));
    const routes = await published(platform, zip(apps['multi-route']));

    const res = await fetch(new URL('hello/there?x=1', hello.url));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/plain');
    assert.equal(await res.text(), 'Hello, Fermyon!\nmethod: GET\npath: /hello/there\n');
    for (const [path, component] of [['hello', 'hello'], ['api/items/7', 'api'], ['users/ada', 'users'], ['elsewhere', 'fallback']]) {
      const answer = (await (await fetch(new URL(path!, routes.url))).json()) as { component: string; path: string; headers: Record<string, string> };
      assert.equal(answer.component, component, path);
      assert.equal(answer.path, `/${path}`);
      assert.equal(answer.headers['spin-path-info'] !== undefined, true, `${path}: Spin's headers reach the component`);
    }

    await platform.stop();
    stopped = true;
    const objects = await storedObjects(platform.persistDir, (key) => key.startsWith('prepared-tracked/'));
    const engines = objects.filter((o) => o.key.startsWith('engines/') && o.key.endsWith('.wasm'));
    assert.equal(engines.length, 1, `one engine for both apps: ${objects.map((o) => o.key).join(', ')}`);
    const engine = engines[0]!;
    const engineDigest = /^engines\/([0-9a-f]{64})\.wasm$/.exec(engine.key)![1]!;
    // The pages most snapshots of the engine share, kept once too.
    const bases = objects.filter((o) => o.key.startsWith('pages/'));
    assert.equal(bases.length, 1, `one base of memory pages for the engine: ${objects.map((o) => o.key).join(', ')}`);
    const glue = objects.filter((o) => o.key.startsWith('glue/'));
    assert.equal(glue.length, 1, 'one glue for every component of the world');
    const shared = engine.size + bases[0]!.size + glue[0]!.size;

    for (const [name, files] of Object.entries(apps)) {
      const app = name === 'http-js' ? hello : routes;
      const archive = objects.find((o) => o.key === `apps/${app.digest}.zip`);
      assert.ok(archive, `${name}: its archive is stored`);
      let prepared = 0;
      for (const [path, component] of Object.entries(files).filter(([path]) => path.endsWith('.wasm'))) {
        const record = objects.find((o) => o.key.startsWith('prepared-tracked/') && o.key.endsWith(`/${sha256Hex(component)}`));
        assert.ok(record, `${name}: the record of ${path} is stored`);
        assert.deepEqual(recordEngines(record), [engineDigest], `${name}: ${path} names the shared engine`);
        // Adapters and the snapshot with the pages the base lacks: engine, base and glue are no part of it.
        assert.ok(record.size < engine.size / 10, `${name}: ${path}'s record is ${record.size} B, the engine ${engine.size} B`);
        prepared += record.size;
      }
      t.diagnostic(`${name}: archive ${archive.size} B + prepared ${prepared} B; shared by both: the engine ${engine.size} B, base pages ${bases[0]!.size} B, glue ${glue[0]!.size} B`);
      assert.ok(prepared < shared / 5, `${name}: ${prepared} B prepared for the app alone, ${shared} B shared`);
    }
  } finally {
    if (!stopped) await platform.stop();
    await removeState({ ...platform, stop: async () => {} });
  }
});

/** Engine digests a stored record names (its `engines.json`). */
function recordEngines(record: StoredObject): string[] {
  const index = JSON.parse(new TextDecoder().decode(unzipSync(record.bytes!)['engines.json'])) as Record<string, { engine: string }>;
  return [...new Set(Object.values(index).map((e) => e.engine))];
}
