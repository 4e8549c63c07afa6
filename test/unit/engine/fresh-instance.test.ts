import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { templateEngine } from '../../support/template-engine.ts';
import { nextMacrotask } from '../../../shared/component/time-slices.ts';
import type { PoolOptions } from '../../../shared/component/instance-pool.ts';

// An instance is reset when it is given back, on the host's next turn (the browser's choice), or
// by the next request that needs it before that turn comes (here it never does).
const schedules: Array<[string, Partial<PoolOptions>]> = [
  ['reset when given back', {}],
  ['reset on the next turn', { resetLater: nextMacrotask }],
  ['reset by the next request', { resetLater: () => new Promise<void>(() => {}) }],
];

interface State {
  hits: number;
  seen: number;
  retained: number;
  random: number;
}

for (const [schedule, pool] of schedules) {
  describe(schedule, async () => {
    const app = await templateEngine('fixtures/apps/stateful', { pool });
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

    test('requests beyond the instances wait for one, and each finds it new', async () => {
      const one = await templateEngine('fixtures/apps/stateful', { pool: { ...pool, maxInstances: 1 } });
      const all = await Promise.all(Array.from({ length: 4 }, () => one.request('/slow').then((r) => r.json() as Promise<State>)));
      assert.deepEqual(all.map((s) => s.hits), Array(4).fill(1));
      assert.equal(((await one.request('/').then((r) => r.json())) as State).hits, 1);
    });
  });
}
