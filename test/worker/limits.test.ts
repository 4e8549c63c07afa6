import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtTemplate } from '../../node/templates/built-template.ts';
import { published, removeState, startWorker, templateFiles, zip } from './support/platform.ts';
import type { LogLine } from '../../shared/ports.ts';

/** `p`, failing the test with the name of the step when it rejects: a request lost under load says which it was. */
const step = <T>(what: string, p: Promise<T>): Promise<T> => p.catch((err: unknown) => assert.fail(`${what}: ${String((err as Error).cause ?? err)}`));

test('an app run locally on workerd takes its fuel budget from the runner (twirl up --fuel)', async () => {
  const { dir } = await builtTemplate('fixtures/apps/stateful');
  const worker = await startWorker({ appDir: dir, limits: { fuel: 50_000 } });
  try {
    assert.equal((await fetch(worker.at('/work?n=10'))).status, 200);
    assert.equal((await fetch(worker.at('/work?n=100000'))).status, 504);
    assert.equal((await fetch(worker.at('/work?n=10'))).status, 200);
  } finally {
    await removeState(worker);
  }
});

test('a loop of awaits on workerd is stopped by its host-call budget (504, logged naming it) while another route keeps answering', async () => {
  const { dir } = await builtTemplate('fixtures/apps/hostile');
  const lines: LogLine[] = [];
  // Deadlines far off: a 504 here can only come from the budget.
  const worker = await startWorker({ appDir: dir, limits: { maxHostCalls: 20_000, timeoutMs: 600_000, cpuMs: 600_000 }, logs: { write: (l) => void lines.push(l) } });
  try {
    const runaway = fetch(worker.at('/await-loop'));
    const other = await fetch(worker.at('/ok'));
    assert.equal(other.status, 200);
    assert.equal(await other.text(), 'ok');
    assert.equal((await runaway).status, 504);
    assert.ok(lines.some((l) => /CPU budget \(20000 calls to the host/.test(l.line)), 'the log names the limit');
    assert.equal((await fetch(worker.at('/ok'))).status, 200, 'the instance was freed');
  } finally {
    await removeState(worker);
  }
});

test('a published app looping on awaits gets 504 while another published app keeps answering', async () => {
  const platform = await startWorker();
  try {
    const hostile = await step('publishing hostile', published(platform, zip(await templateFiles('fixtures/apps/hostile'))));
    const hello = await step('publishing hello', published(platform, zip(await templateFiles('http-js'))));
    assert.equal((await step('hello before', fetch(hello.url))).status, 200);
    assert.equal((await step('hostile before', fetch(new URL('ok', hostile.url)))).status, 200);
    const runaway = step('the runaway', fetch(new URL('await-loop', hostile.url)));
    const other = await step('hello during', fetch(hello.url));
    assert.equal(other.status, 200);
    assert.match(await other.text(), /^Hello/);
    assert.equal((await runaway).status, 504);
    assert.equal((await step('hostile after', fetch(new URL('ok', hostile.url)))).status, 200);
  } finally {
    await removeState(platform);
  }
});

test('a published app spinning in a synchronous loop and in a loop of awaits yields the thread: another published app answers while both still run', async () => {
  const platform = await startWorker();
  try {
    const hostile = await step('publishing hostile', published(platform, zip(await templateFiles('fixtures/apps/hostile'))));
    const hello = await step('publishing hello', published(platform, zip(await templateFiles('http-js'))));
    assert.equal((await step('hello before', fetch(hello.url))).status, 200);
    assert.equal((await step('hostile before', fetch(new URL('ok', hostile.url)))).status, 200);
    const runaways = [step('the sync loop', fetch(new URL('sync-loop', hostile.url))), step('the await loop', fetch(new URL('await-loop', hostile.url)))];
    const settled = runaways.map(() => false);
    runaways.forEach((r, i) => void r.then(() => (settled[i] = true), () => (settled[i] = true)));
    // workerd runs every isolate on one thread: without yielding, hello would wait for both budgets.
    for (let i = 0; i < 5; i++) {
      const other = await step(`hello during, ${i + 1} of 5`, fetch(hello.url));
      assert.equal(other.status, 200);
      assert.match(await other.text(), /^Hello/);
    }
    assert.deepEqual(settled, [false, false], 'hello answered while both runaways still ran');
    for (const runaway of runaways) assert.equal((await runaway).status, 504);
    assert.equal((await step('hostile after', fetch(new URL('ok', hostile.url)))).status, 200);
  } finally {
    await removeState(platform);
  }
});

test("a published app runs with the platform operator's limits (TWIRL_LIMITS): its endless stream ends at the operator's deadline, not the default 30 s", async () => {
  const platform = await startWorker({ platformVars: { TWIRL_LIMITS: JSON.stringify({ timeoutMs: 1_500 }) } });
  try {
    const hostile = await published(platform, zip(await templateFiles('fixtures/apps/hostile')));
    assert.equal((await fetch(new URL('ok', hostile.url))).status, 200);
    const res = await fetch(new URL('endless-stream', hostile.url));
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      res.arrayBuffer().then(() => 'ended cleanly', () => 'cut off'),
      new Promise<string>((resolve) => (timer = setTimeout(() => resolve('still streaming after 15 s'), 15_000))),
    ]);
    clearTimeout(timer);
    // workerd ends an errored body with a clean last chunk (SECURITY.md): what can be checked here is when.
    assert.notEqual(outcome, 'still streaming after 15 s');
    assert.equal((await fetch(new URL('ok', hostile.url))).status, 200);
  } finally {
    await removeState(platform);
  }
});
