/**
 * The bindings' warm-up at initialisation: it reaches every imported resource of a real splice,
 * and a component initialised with it answers as one without it while its requests write fewer
 * pages (the engine's first-run work for the bindings now sits in the snapshot).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { withWarmUp } from '../../../shared/build/bindings-warm-up.ts';
import { featuresFor, initializeState } from '../../../shared/build/js-engine-init.ts';
import { componentWithState } from '../../../shared/build/snapshot-component.ts';
import { buildImports } from '../../../shared/component/imports.ts';
import { instantiateFresh } from '../../../shared/component/instantiate.ts';
import { CoreLinker } from '../../../shared/component/core-linker.ts';
import { captureSnapshot, dirtyPageCount, restoreSnapshot } from '../../../shared/component/instance-snapshot.ts';
import { invokeHttp } from '../../../shared/component/invoke.ts';
import { defaultLimits } from '../../../shared/limits.ts';
import { loadComponent } from '../../../node/component/load-component.ts';
import { detachedContext } from '../../../node/component/detached-context.ts';
import { bundleEntry } from '../../../node/toolchain/bundle.ts';
import { worldEngineFor } from '../../../node/toolchain/preinit-node.ts';
import { builtTemplate } from '../../../node/templates/built-template.ts';

const kv = await builtTemplate('kv-counter');
const bundle = await bundleEntry(join(kv.dir, 'src/index.js'));
const { engine } = await worldEngineFor(bundle, kv.components['counter']!);

test('the warm-up reaches every resource the bindings import, with its class', () => {
  const bindings = engine.spliced.result.jsBindings;
  const registries = [...bindings.matchAll(/^const (finalizationRegistry_import\$\w+\$\w+) = new FinalizationRegistry\(/gm)].map((m) => m[1]!);
  assert.ok(registries.includes('finalizationRegistry_import$keyValue_2_0_0$store'), 'the key-value store is an imported resource');
  const warmed = withWarmUp(bindings).slice(bindings.length);
  for (const registry of registries) assert.match(warmed, new RegExp(`\\[${registry.replaceAll('$', '\\$')}, import_\\w+\\$\\w+\\.prototype\\]`), registry);
  assert.match(warmed, /_utf8AllocateAndEncode\('warm-up', \$realloc, \$memory\)/);
});

/** The counter initialised on its world's engine, with or without the warm-up: three requests' answers and dirty pages. */
async function counterRequests(warmUp: boolean): Promise<Array<{ text: string; pages: number }>> {
  const state = await initializeState(engine.spliced, bundle.code, featuresFor(bundle.code), { warmUp });
  const component = await loadComponent(componentWithState(engine.reference, state));
  const linker = new CoreLinker();
  const ctx = detachedContext(['default']);
  const exports = await instantiateFresh(component, buildImports(() => ctx), linker);
  const snapshot = captureSnapshot(linker);
  const answers = [];
  for (let i = 0; i < 3; i++) {
    const url = new URL('http://localhost/');
    const call = invokeHttp(component.kind, exports, new Request(url), url, [], defaultLimits);
    const text = await (await call.response).text();
    await call.done;
    answers.push({ text, pages: dirtyPageCount(snapshot) });
    assert.equal(restoreSnapshot(snapshot), true);
  }
  return answers;
}

test('a component initialised with the warm-up answers alike and writes fewer pages per request', async () => {
  const cold = await counterRequests(false);
  const warm = await counterRequests(true);
  assert.deepEqual(warm.map((a) => a.text), ['1\n', '2\n', '3\n']);
  assert.deepEqual(cold.map((a) => a.text), ['1\n', '2\n', '3\n']);
  for (const [i, { pages }] of warm.entries()) {
    assert.ok(pages < cold[i]!.pages, `request ${i + 1}: ${pages} pages written with the warm-up, ${cold[i]!.pages} without`);
  }
});
