/**
 * The key of a world names the engine the playground prepares for it: the browser's build
 * (Web Crypto) and the Node toolchain must compute the same key from the same input, and a
 * different world, WIT or version must give another.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { worldKeyOf } from '../../../shared/build/world-key.ts';
import { worldKey } from '../../../node/toolchain/world-engine.ts';

const input = {
  code: "addEventListener('fetch', (e) => e.respondWith(new Response('hi')));\n",
  wit: new Map([['world.wit', 'package twirl:app;\nworld detected { include wasi:http/proxy@0.2.10; }\n']]),
  world: 'detected',
};

test('the browser and the Node toolchain name a world by the same key', async () => {
  assert.equal(await worldKeyOf(input, '0.23.0'), worldKey(input, '0.23.0'));
  assert.match(await worldKeyOf(input, '0.23.0'), /^[0-9a-f]{24}$/);
});

test('another world, WIT, feature set or componentize-js version is another key', async () => {
  const key = await worldKeyOf(input, '0.23.0');
  const others = [
    { ...input, world: 'other' },
    { ...input, wit: new Map([['world.wit', 'package twirl:app;\nworld detected { import fermyon:spin/key-value@2.0.0; include wasi:http/proxy@0.2.10; }\n']]) },
    // Exporting incomingHandler drops the fetch-event feature: another spliced engine.
    { ...input, code: 'export const incomingHandler = { handle() {} };\n' },
  ];
  for (const other of others) assert.notEqual(await worldKeyOf(other, '0.23.0'), key);
  assert.notEqual(await worldKeyOf(input, '0.24.0'), key);
});
