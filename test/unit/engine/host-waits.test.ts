import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KeyValueBackend } from '../../../shared/ports.ts';

// Every suspension of a guest goes through a `WebAssembly.Suspending`: counted before the engine loads.
const jspi = WebAssembly as unknown as { Suspending: new (f: (...a: unknown[]) => unknown) => object };
const Suspending = jspi.Suspending;
const suspensions = { count: 0 };
jspi.Suspending = class extends Suspending {
  constructor(f: (...a: unknown[]) => unknown) {
    super((...args: unknown[]) => {
      suspensions.count++;
      return f(...args);
    });
  }
};
const { templateEngine } = await import('../../support/template-engine.ts');
const { SharedDeadlines } = await import('../../../shared/host/deadlines.ts');
const { MemoryKeyValueBackend } = await import('../../../shared/key-value-memory.ts');

/** Answers every call with a promise, as stores in IndexedDB and Durable Objects do. */
function answeringLater(inner: KeyValueBackend): KeyValueBackend {
  return {
    open: async (label) => {
      const store = await inner.open(label);
      return {
        get: async (key) => store.get(key),
        set: async (key, value) => store.set(key, value),
        delete: async (key) => store.delete(key),
        exists: async (key) => store.exists(key),
        keys: async () => store.keys(),
      };
    },
  };
}

const hello = await templateEngine('http-js');
const counter = await templateEngine('kv-counter', { keyValue: answeringLater(new MemoryKeyValueBackend()) });
const counterInMemory = await templateEngine('kv-counter');

test('a request whose host calls all answer at once never suspends the guest', async () => {
  await (await hello.request('/warm')).text();
  suspensions.count = 0;
  for (let i = 0; i < 5; i++) {
    const res = await hello.request('/hello');
    assert.equal(res.status, 200);
    assert.match(await res.text(), /^Hello, Fermyon!/);
    // Written at once, the body keeps its length.
    assert.ok(res.headers.has('content-length'));
  }
  assert.equal(suspensions.count, 0);
});

test('key-value calls answered with a promise suspend the guest, which gets their answers', async () => {
  const first = Number(await (await counter.request('/')).text());
  suspensions.count = 0;
  const second = Number(await (await counter.request('/')).text());
  assert.equal(second, first + 1);
  // open, get and set each wait.
  assert.equal(suspensions.count, 3);
});

test('key-value calls to a store in memory are answered at once: the guest never suspends', async () => {
  const first = Number(await (await counterInMemory.request('/')).text());
  suspensions.count = 0;
  const res = await counterInMemory.request('/');
  assert.equal(Number(await res.text()), first + 1);
  assert.ok(res.headers.has('content-length'));
  assert.equal(suspensions.count, 0);
});

test('with one timer for all deadlines (as in a browser), a request answered without waiting arms no timer of its own', async () => {
  const app = await templateEngine('http-js', { deadlines: new SharedDeadlines() });
  await (await app.request('/warm')).text();
  const armed: unknown[] = [];
  const setTimeoutOf = globalThis.setTimeout;
  globalThis.setTimeout = ((...args: Parameters<typeof setTimeout>) => {
    armed.push(args[1]);
    return setTimeoutOf(...args);
  }) as typeof setTimeout;
  try {
    for (let i = 0; i < 5; i++) {
      const res = await app.request('/hello');
      assert.equal(res.status, 200);
      assert.ok(res.headers.has('content-length'));
      await res.text();
    }
  } finally {
    globalThis.setTimeout = setTimeoutOf;
  }
  assert.deepEqual(armed, []);
});

/** A timer each, as on workerd, counting the deadlines started and what came of them. */
function countedDeadlines() {
  const counted = { started: 0, expired: 0 };
  return {
    counted,
    deadlines: {
      start(ms: number, expired: () => void) {
        counted.started++;
        const timer = setTimeout(() => {
          counted.expired++;
          expired();
        }, ms);
        return () => clearTimeout(timer);
      },
    },
  };
}

test('with a timer each (as on workerd), a request answered without waiting starts no deadline; one that waits on the host starts one', async () => {
  const { counted, deadlines } = countedDeadlines();
  const helloApp = await templateEngine('http-js', { deadlines });
  const counterApp = await templateEngine('kv-counter', { deadlines, keyValue: answeringLater(new MemoryKeyValueBackend()) });
  await (await helloApp.request('/warm')).text();
  await (await counterApp.request('/')).text();
  counted.started = 0;
  for (let i = 0; i < 5; i++) assert.match(await (await helloApp.request('/hello')).text(), /^Hello, Fermyon!/);
  assert.equal(counted.started, 0);
  const before = Number(await (await counterApp.request('/')).text());
  assert.equal(counted.started, 1);
  assert.equal(Number(await (await counterApp.request('/')).text()), before + 1);
  assert.equal(counted.started, 2);
  assert.equal(counted.expired, 0);
});

test('a request queued for an instance starts its deadline while it waits', async () => {
  const { counted, deadlines } = countedDeadlines();
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const inner = new MemoryKeyValueBackend();
  // The first read waits until released: its request holds the pool's only instance meanwhile.
  let stalled = false;
  const stalling: KeyValueBackend = {
    open: async (label) => {
      const store = await inner.open(label);
      return {
        ...store,
        get: async (key) => {
          if (!stalled) {
            stalled = true;
            await held;
          }
          return store.get(key);
        },
      };
    },
  };
  const app = await templateEngine('kv-counter', { deadlines, keyValue: stalling, pool: { maxInstances: 1 } });
  const holding = app.request('/');
  const queued = app.request('/');
  // Both are armed while the first waits on its store: the holder at that wait, the other in the queue.
  const giveUpAt = performance.now() + 10_000;
  while (counted.started < 2 && performance.now() < giveUpAt) await new Promise((resolve) => setImmediate(resolve));
  assert.equal(counted.started, 2);
  release();
  assert.deepEqual([(await holding).status, (await queued).status], [200, 200]);
  assert.equal(counted.expired, 0);
});
