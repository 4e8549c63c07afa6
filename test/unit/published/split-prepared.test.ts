import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { unzipSync, zipSync } from 'fflate';
import { prepareOnDisk } from '../../../node/component/load-component.ts';
import { builtTemplate } from '../../../node/templates/built-template.ts';
import { transpileComponent, type TranspiledComponent } from '../../../shared/component/prepare.ts';
import { decodeSnapshot } from '../../../shared/component/snapshot-codec.ts';
import { appSnapshots, decodeRecord, encodeRecord, splitPrepared, type BasePages, type SplitPrepared } from '../../../worker/published/split-prepared.ts';
import { tinyComponent } from '../../fixtures/tiny-component.ts';

/** jco's output for a component as the transpiler isolate makes it (no write tracking), read from the on-disk cache. */
async function transpiled(bytes: Uint8Array): Promise<TranspiledComponent> {
  const whole = await prepareOnDisk(bytes, { split: false, trackWrites: false });
  const modules = Object.fromEntries(await Promise.all(Object.entries(whole.modules).map(async ([name, path]) => [name, new Uint8Array(await readFile(path))] as const)));
  return { kind: whole.kind, glue: await readFile(whole.glue, 'utf8'), modules };
}

const hello = await transpiled(Object.values((await builtTemplate('http-js')).components)[0]!);
const users = await transpiled((await builtTemplate('multi-route')).components['users']!);

async function roundTrip(record: SplitPrepared): Promise<SplitPrepared> {
  const { bytes, glue } = await encodeRecord(record);
  return decodeRecord(bytes, 'c', async (digest) => (digest === glue.digest ? glue.bytes : undefined));
}

test('a JS component splits into a shared engine, a base of pages, and a record with only its snapshot', async () => {
  const first = await splitPrepared(hello, async () => undefined);
  assert.equal(first.engines.size, 1);
  const [engineDigest] = [...first.engines.keys()];
  const base = first.bases.get(engineDigest!)!;
  assert.ok(base.pages.length > 1_000_000, 'the first snapshot of an engine gives it its base pages');
  const [use] = Object.values(first.record.engines);
  assert.equal(use!.engine, engineDigest);
  assert.equal(use!.pages.length, 0);

  // A second component of the same world keeps only the pages the base lacks.
  const second = await splitPrepared(users, async (engine) => (engine === engineDigest ? base : undefined));
  assert.deepEqual([...second.engines.keys()], [engineDigest]);
  assert.equal(second.bases.size, 0);
  const own = Object.values(second.record.engines)[0]!;
  assert.ok(own.pages.length < base.pages.length / 4, `${own.pages.length} B of own pages, the base has ${base.pages.length} B`);

  const records = new Map([
    ['hello', await roundTrip(first.record)],
    ['users', await roundTrip(second.record)],
  ]);
  const { snapshots, pages } = appSnapshots(records, new Map([[base.digest, base.pages]]));
  for (const [id, stored] of snapshots) {
    const snapshot = decodeSnapshot(Object.values(stored)[0]!, pages);
    assert.equal(snapshot.engineDigest, engineDigest, id);
  }
  // Both snapshots in one pool: the pages they share are there once.
  assert.ok(pages.length < base.pages.length + own.pages.length + 4096);
});

test('a component with no JS engine keeps every core module in its record', async () => {
  const tiny = await transpileComponent(tinyComponent(), 'component', { trackWrites: false });
  const { record, engines } = await splitPrepared(tiny, async () => undefined);
  assert.equal(engines.size, 0);
  assert.deepEqual(Object.keys(record.modules).sort(), Object.keys(tiny.modules).sort());
  assert.deepEqual((await roundTrip(record)).modules, record.modules);
});

test('a stored snapshot that does not match its digest, or lost glue, is refused with a call to publish again', async () => {
  const { record } = await splitPrepared(hello, async () => undefined);
  const { bytes, glue } = await encodeRecord(record);
  const files = unzipSync(bytes);
  const name = Object.keys(files).find((f) => f.startsWith('snapshots/'))!;
  const damaged = files[name]!.slice();
  damaged[40]! ^= 1;
  files[name] = damaged;
  await assert.rejects(
    decodeRecord(zipSync(files, { level: 0 }), 'hello', async () => glue.bytes),
    (err: Error & { code?: string }) => err.code === 'prepared-invalid' && /component hello: the snapshot .* does not match its digest .*publish the app again/.test(err.message),
  );
  await assert.rejects(decodeRecord(bytes, 'hello', async () => undefined), /component hello: its glue \w+ is no longer stored; publish the app again/);
});

test('a snapshot is never applied to another engine than the one it was made for', async () => {
  const { record, bases } = await splitPrepared(hello, async () => undefined);
  const [[engine, base]] = [...bases] as [[string, BasePages]];
  const other = 'ab'.repeat(32);
  const moved: SplitPrepared = { ...record, engines: Object.fromEntries(Object.entries(record.engines).map(([n, u]) => [n, { ...u, engine: other }])) };
  assert.throws(
    () => appSnapshots(new Map([['hello', moved]]), new Map([[base.digest, base.pages]])),
    (err: Error & { code?: string }) =>
      err.code === 'snapshot-engine-mismatch' && err.message.includes(`made for engine ${engine.slice(0, 12)}, not for engine ${other.slice(0, 12)}`) && /publish the app again/.test(err.message),
  );
});
