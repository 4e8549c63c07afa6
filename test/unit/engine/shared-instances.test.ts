import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../../shared/engine.ts';
import type { LoadedComponent } from '../../../shared/component/instantiate.ts';
import { MemoryKeyValueBackend } from '../../../shared/key-value-memory.ts';
import { loadManifest } from '../../../shared/manifest/parse.ts';
import { loadComponent } from '../../../node/component/load-component.ts';
import { builtTemplate } from '../../../node/templates/built-template.ts';

const manifest = `spin_manifest_version = 2
[application]
name = "shared"
[[trigger.http]]
route = "/en/..."
component = "en"
[[trigger.http]]
route = "/fr/..."
component = "fr"
[component.en]
source = "greeter.wasm"
[component.en.variables]
greeting = "Hello"
name = "Ada"
message = "Hello, Ada!"
token = "t-en"
[component.fr]
source = "greeter.wasm"
[component.fr.variables]
greeting = "Bonjour"
name = "Lovelace"
message = "Bonjour, Lovelace!"
token = "t-fr"
`;

/** Components made from one .wasm, each with its own variables; instantiations counted. */
async function sharedEngine(): Promise<{ engine: Engine; instantiations: () => number }> {
  const loaded = await loadComponent((await builtTemplate('variables')).components['greeter']!);
  let count = 0;
  const counted: LoadedComponent = { ...loaded, instantiate: (...args) => (count++, loaded.instantiate(...args)) };
  const engine = await Engine.create({
    app: loadManifest(manifest),
    components: new Map([
      ['en', counted],
      ['fr', counted],
    ]),
    keyValue: new MemoryKeyValueBackend(),
    fetch: () => Promise.reject(new Error('no outbound requests here')),
    files: { read: async () => undefined, list: async () => [] },
    logs: { write: () => {} },
  });
  return { engine, instantiations: () => count };
}

const expected = {
  en: { greeting: 'Hello', name: 'Ada', message: 'Hello, Ada!', token: 't-en' },
  fr: { greeting: 'Bonjour', name: 'Lovelace', message: 'Bonjour, Lovelace!', token: 't-fr' },
};

test("components made from one .wasm share one warm instance, and each request sees its own component's variables", async () => {
  const { engine, instantiations } = await sharedEngine();
  for (const route of ['en', 'fr', 'en', 'fr', 'fr', 'en'] as const) {
    const response = await engine.handle(new Request(`http://localhost/${route}`));
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), expected[route], route);
  }
  assert.equal(instantiations(), 1, 'one instance served both components');
});

test('at once, the shared pool holds as many instances as the components would apart, and no request sees the other component', async () => {
  const { engine, instantiations } = await sharedEngine();
  const routes = Array.from({ length: 24 }, (_, i) => (i % 3 === 0 ? 'fr' : 'en') as 'en' | 'fr');
  const bodies = await Promise.all(routes.map(async (route) => [route, await (await engine.handle(new Request(`http://localhost/${route}`))).json()] as const));
  for (const [route, body] of bodies) assert.deepEqual(body, expected[route], route);
  assert.ok(instantiations() >= 1 && instantiations() <= 8, `${instantiations()} instances`);
});
