import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { builtTemplate } from '../../node/templates/built-template.ts';
import { removeState, startWorker } from './support/platform.ts';

const { dir } = await builtTemplate('fixtures/apps/shared-wasm');
const worker = await startWorker({ appDir: dir });
after(() => removeState(worker));

test('deployed on workerd, eight components made from one .wasm each answer as themselves, one after another and all at once', async () => {
  const routes = Array.from({ length: 8 }, (_, i) => `r${i + 1}`);
  const ask = async (route: string): Promise<string> => {
    const res = await fetch(worker.at(`/${route}/page`));
    assert.equal(res.status, 200, route);
    return res.text();
  };
  for (const route of routes) assert.equal(await ask(route), `route /${route}, path /${route}/page\n`);
  const together = await Promise.all([...routes, ...routes].map(async (route) => [route, await ask(route)] as const));
  for (const [route, body] of together) assert.equal(body, `route /${route}, path /${route}/page\n`);
});
