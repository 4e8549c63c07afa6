import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync, zipSync } from 'fflate';
import { readZipEntries, type ArchiveLimits } from '../../../shared/archive/zip-entries.ts';
import { appRootEntries } from '../../../shared/archive/entry-path.ts';
import { craftZip, deflatedZeros } from '../../../bench/crafted-zip.ts';

const MiB = 1024 * 1024;
const limits: ArchiveLimits = { maxExpandedBytes: 8 * MiB, maxEntries: 100, maxMillis: 60_000 };
const text = (s: string) => new TextEncoder().encode(s);

async function refusedWith(bytes: Uint8Array, code: string, with_: ArchiveLimits = limits): Promise<string> {
  const err = await readZipEntries(bytes, with_).then(
    () => assert.fail(`expected ${code}`),
    (e: unknown) => e as { code?: string; message: string },
  );
  assert.equal(err.code, code, err.message);
  return err.message;
}

test('a zip whose headers claim 100 bytes per entry but inflate to 600 MiB is refused at the byte budget', async () => {
  const zeros = deflatedZeros(300);
  const lying = craftZip([
    { name: 'spin.toml', deflated: deflatedZeros(2), declaredSize: 100 },
    { name: 'a.bin', deflated: zeros, declaredSize: 100 },
    { name: 'b.bin', deflated: zeros, declaredSize: 100 },
  ]);
  assert.ok(lying.length < 2 * MiB, 'the archive itself is small');
  const message = await refusedWith(lying, 'archive-too-large');
  assert.match(message, /more than 8 MB/);
});

test('the byte budget is exact: an entry inflating to the budget is read, one byte more is refused', async () => {
  const at = (size: number) => craftZip([{ name: 'a.bin', deflated: deflateSync(new Uint8Array(size)), declaredSize: 100 }]);
  const entries = await readZipEntries(at(8 * MiB), limits);
  assert.equal(entries.get('a.bin')!.length, 8 * MiB);
  await refusedWith(at(8 * MiB + 1), 'archive-too-large');
});

test('reading a lying bomb lets timers run all along, not only once it is refused', async () => {
  const lying = craftZip([{ name: 'a.bin', deflated: deflatedZeros(64), declaredSize: 100 }]);
  let ticks = 0;
  let ticking = true;
  const tick = () => {
    ticks++;
    if (ticking) setTimeout(tick, 0);
  };
  setTimeout(tick, 0);
  // The clock held still, as workerd's is while code runs: reading must yield by bytes done, not only by time.
  const now = Date.now;
  const frozen = now();
  Date.now = () => frozen;
  try {
    await refusedWith(lying, 'archive-too-large', { ...limits, maxExpandedBytes: 48 * MiB });
  } finally {
    Date.now = now;
    ticking = false;
  }
  assert.ok(ticks >= 16, `a timer ran ${ticks} times while 48 MiB were inflated`);
});

test('an honest bomb is refused from its declared sizes', async () => {
  const honest = craftZip([{ name: 'a.bin', deflated: deflatedZeros(64), declaredSize: 64 * MiB }]);
  await refusedWith(honest, 'archive-too-large');
});

test('entries within the budget come out whole, directories skipped', async () => {
  const entries = await readZipEntries(zipSync({ 'app/spin.toml': text('x'), 'app/dist/': new Uint8Array(), 'app/dist/a.wasm': new Uint8Array(5000) }), limits);
  assert.deepEqual([...entries.keys()].sort(), ['app/dist/a.wasm', 'app/spin.toml']);
  assert.equal(entries.get('app/dist/a.wasm')!.length, 5000);
});

test('too many entries are refused', async () => {
  const many = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`f${i}`, text('x')]));
  await refusedWith(zipSync(many), 'archive-too-many-entries');
});

test('reading past the time budget is refused', async () => {
  const slow = craftZip([{ name: 'a.bin', deflated: deflatedZeros(4), declaredSize: 4 * MiB }]);
  await refusedWith(slow, 'archive-too-slow', { ...limits, maxMillis: -1 });
});

for (const name of ['../evil', 'a/../../evil', '/etc/passwd', 'C:/evil', '..\\evil']) {
  test(`an entry named ${JSON.stringify(name)} is refused`, async () => {
    await refusedWith(zipSync({ [name]: text('x') }), 'invalid-path');
  });
}

test('bytes that are not a zip, or a zip cut short, are refused', async () => {
  await refusedWith(text('definitely not a zip file'), 'not-a-zip');
  const whole = craftZip([{ name: 'a.bin', deflated: deflatedZeros(4), declaredSize: 4 * MiB }]);
  await refusedWith(whole.subarray(0, 200), 'not-a-zip');
});

test('an entry whose deflated data is broken is refused, naming the entry', async () => {
  const broken = craftZip([{ name: 'a.bin', deflated: new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), declaredSize: 100 }]);
  const message = await refusedWith(broken, 'not-a-zip');
  assert.match(message, /archive entry "a\.bin" cannot be inflated/);
});

test('spin.toml at the top, or under exactly one top folder holding everything; nowhere else', () => {
  const one = new Uint8Array([1]);
  assert.deepEqual([...appRootEntries(new Map([['spin.toml', one], ['a/b', one]])).keys()], ['spin.toml', 'a/b']);
  assert.deepEqual([...appRootEntries(new Map([['app/spin.toml', one], ['app/a', one]])).keys()], ['spin.toml', 'a']);
  assert.throws(() => appRootEntries(new Map([['app/spin.toml', one], ['other/a', one]])), { code: 'missing-manifest' });
  assert.throws(() => appRootEntries(new Map([['a/b/spin.toml', one]])), { code: 'missing-manifest' });
});
