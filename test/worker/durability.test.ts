/**
 * Nothing lost: a key-value write is durable before its response is sent. The local worker's
 * workerd is killed with SIGKILL (no clean stop) between requests, right as a response arrives
 * and with requests in flight, then restarted on the same state: every acknowledged write is
 * there byte for byte, and every other one is either absent (the old value) or whole.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { builtTemplate } from '../../node/templates/built-template.ts';
import { removeState, startWorker, type RunningWorker } from './support/platform.ts';
import { killHard, workerdPid } from '../../node/workerd/workerd-process.ts';

const { dir } = await builtTemplate('kv-counter');
const quiet = { write: () => {} };

/** What the store may hold for one key: the last acknowledged value, or a value sent after it that was never answered. */
interface KeyHistory {
  acked?: Uint8Array;
  unacked: Uint8Array[];
}

/** Everything sent to one app's store, and what was acknowledged. */
class Ledger {
  readonly keys = new Map<string, KeyHistory>();
  /** The last count the counter answered. */
  count = 0;
  /** Increments sent whose answer never came. */
  countUnacked = 0;
  #seq = 0;

  history(key: string): KeyHistory {
    let entry = this.keys.get(key);
    if (!entry) this.keys.set(key, (entry = { unacked: [] }));
    return entry;
  }

  /** A value no other write shares, whose head names it, of a size from a byte to 700 kB. */
  value(key: string): Uint8Array {
    const seq = this.#seq++;
    const head = new TextEncoder().encode(`${key}#${seq}|`);
    const size = [1, 4096, 100_000, 700_000][seq % 4]!;
    const bytes = new Uint8Array(head.length + size);
    bytes.set(head);
    bytes.set(randomBytes(size), head.length);
    return bytes;
  }
}

/** PUT one value; true once the answer came (a 201: any other answer fails the test). */
async function put(worker: RunningWorker, ledger: Ledger, key: string): Promise<boolean> {
  const value = ledger.value(key);
  const history = ledger.history(key);
  history.unacked.push(value);
  const res = await fetch(worker.at(`/kv/${key}`), { method: 'PUT', body: value as Uint8Array<ArrayBuffer> }).catch(() => undefined);
  if (!res) return false;
  assert.equal(res.status, 201, `PUT /kv/${key}`);
  history.acked = value;
  history.unacked = history.unacked.filter((v) => v !== value);
  return true;
}

/** One counter increment; true once its answer came. */
async function increment(worker: RunningWorker, ledger: Ledger): Promise<boolean> {
  ledger.countUnacked++;
  const text = await fetch(worker.at('/'))
    .then((res) => (res.status === 200 ? res.text() : Promise.reject(new Error(`GET / answered ${res.status}`))))
    .catch(() => undefined);
  if (text === undefined) return false;
  ledger.countUnacked--;
  assert.equal(Number(text), ledger.count + 1, 'the counter counts on from its last answer');
  ledger.count = Number(text);
  return true;
}

async function crash(worker: RunningWorker): Promise<void> {
  await killHard(await workerdPid(worker.workerdUrl));
  await worker.stop();
}

const start = (persistDir?: string) => startWorker({ appDir: dir, logs: quiet, ...(persistDir ? { persistDir } : {}) });

/**
 * Reads every key back and checks it against the ledger, then takes what the store holds as
 * the new truth (an unanswered write that landed is now the value).
 */
async function verify(worker: RunningWorker, ledger: Ledger): Promise<void> {
  for (const [key, history] of ledger.keys) {
    const res = await fetch(worker.at(`/kv/${key}`));
    if (res.status === 404) {
      assert.equal(history.acked, undefined, `acknowledged write to ${key} is lost`);
      continue;
    }
    assert.equal(res.status, 200);
    const stored = new Uint8Array(await res.arrayBuffer());
    const candidates = [...(history.acked ? [history.acked] : []), ...history.unacked];
    const match = candidates.find((v) => Buffer.from(v).equals(stored));
    assert.ok(match, `${key} holds ${stored.length} bytes that no write sent whole (acknowledged: ${history.acked?.length ?? 'none'} bytes)`);
    if (history.unacked.length === 0) assert.equal(match, history.acked, `${key} holds its last acknowledged value`);
    ledger.keys.set(key, { acked: match, unacked: [] });
  }
  const listed = (await (await fetch(worker.at('/kv'))).json()) as string[];
  assert.deepEqual(listed.filter((k) => k !== 'n').sort(), [...ledger.keys].filter(([, h]) => h.acked).map(([k]) => k).sort(), 'no key the ledger does not know');
  const res = await fetch(worker.at('/kv/n'));
  const count = res.status === 404 ? 0 : Number(await res.text());
  assert.ok(Number.isInteger(count), 'the counter holds a whole number');
  assert.ok(count >= ledger.count && count <= ledger.count + ledger.countUnacked, `counter ${count}: acknowledged ${ledger.count}, ${ledger.countUnacked} unanswered`);
  ledger.count = count;
  ledger.countUnacked = 0;
}

test('writes acknowledged before a kill between requests are all there after a restart', async () => {
  const ledger = new Ledger();
  let worker = await start();
  try {
    for (let round = 0; round < 3; round++) {
      // New keys, and overwrites of the keys from the round before.
      for (let i = 0; i < 8; i++) assert.ok(await put(worker, ledger, `r${round}-k${i}`));
      for (let i = 0; i < 4 && round > 0; i++) assert.ok(await put(worker, ledger, `r${round - 1}-k${i}`));
      for (let i = 0; i < 3; i++) assert.ok(await increment(worker, ledger));
      await crash(worker);
      worker = await start(worker.persistDir);
      await verify(worker, ledger);
    }
    assert.equal(ledger.count, 9);
  } finally {
    await removeState(worker);
  }
});

test('a write is durable once its response arrives: killed the moment each answer comes', async () => {
  const ledger = new Ledger();
  let worker = await start();
  try {
    for (let i = 0; i < 4; i++) {
      // The pid is looked up first, so nothing stands between the answer and the kill.
      const pid = await workerdPid(worker.workerdUrl);
      const acked = i % 2 === 0 ? put(worker, ledger, `big-${i}`) : increment(worker, ledger);
      assert.ok(await acked);
      await killHard(pid);
      await worker.stop();
      worker = await start(worker.persistDir);
      await verify(worker, ledger);
    }
    assert.equal(ledger.count, 2);
  } finally {
    await removeState(worker);
  }
});

test('killed with writes in flight: the acknowledged ones are there, the others absent or whole', async () => {
  const ledger = new Ledger();
  let worker = await start();
  try {
    for (let i = 0; i < 10; i++) assert.ok(await put(worker, ledger, `old-${i}`));
    const pid = await workerdPid(worker.workerdUrl);
    let answered = 0;
    let killed: Promise<void> | undefined;
    const afterSomeAnswers = (ok: boolean) => {
      if (ok && ++answered === 6) killed = killHard(pid);
    };
    // Overwrites of existing keys and new keys (one write per key), all at once, while the counter counts.
    const writes = Array.from({ length: 40 }, (_, i) => put(worker, ledger, i < 10 ? `old-${i}` : `new-${i}`).then(afterSomeAnswers));
    const counting = (async () => {
      while (!killed && (await increment(worker, ledger)));
    })();
    await Promise.all([...writes, counting]);
    await killed;
    const unanswered = [...ledger.keys.values()].reduce((n, h) => n + h.unacked.length, 0);
    assert.ok(unanswered > 0, 'some writes were still in flight when workerd died');
    await worker.stop();
    worker = await start(worker.persistDir);
    await verify(worker, ledger);
  } finally {
    await removeState(worker);
  }
});
