import { test } from 'node:test';
import assert from 'node:assert/strict';
import { templateEngine } from '../../support/template-engine.ts';

const app = await templateEngine('fixtures/apps/stateful');

interface State {
  hits: number;
  seen: number;
  retained: number;
  random: number;
}
const state = async (path = '/'): Promise<State> => {
  const res = await app.request(path);
  assert.equal(res.status, 200);
  return (await res.json()) as State;
};

test('each request sees a new instance: module and global state start over', async () => {
  for (let i = 0; i < 20; i++) {
    const s = await state();
    assert.equal(s.hits, 1);
    assert.equal(s.seen, 1);
    assert.equal(s.retained, 0);
  }
});

test('memory grown by one request is gone in the next', async () => {
  assert.equal((await state('/grow?mb=8')).retained, 1);
  assert.equal((await state('/')).retained, 0);
});

test('a request that throws fails alone and the next one starts fresh', async () => {
  const failed = await app.request('/trap');
  assert.equal(failed.status, 500);
  assert.equal(await failed.text(), '');
  assert.equal((await state()).hits, 1);
});

test('concurrent requests never share an instance', async () => {
  const all = await Promise.all(Array.from({ length: 6 }, () => state('/slow')));
  assert.deepEqual(all.map((s) => s.hits), Array(6).fill(1));
});

test('random numbers differ between requests although memory is restored', async () => {
  const a = await state();
  const b = await state();
  assert.notEqual(a.random, b.random);
});

test('logs are tagged with the component and a distinct request id', async () => {
  app.logs.length = 0;
  await state();
  await state();
  const lines = app.logs.filter((l) => l.line === 'hits=1');
  assert.equal(lines.length, 2);
  assert.equal(lines[0]!.component, 'stateful');
  assert.equal(lines[0]!.app, 'stateful');
  assert.notEqual(lines[0]!.requestId, lines[1]!.requestId);
});
