/**
 * Other apps during an attack, on `npm start`'s platform (local workerd): the p99 of a published
 * hello app while a published hostile app runs a loop of awaits or a synchronous loop, or while
 * a zip that lies about its sizes is being published — as a ratio to hello's p99 without any
 * attack, measured in the same run. Runnable: `npx node bench/attack.ts`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipSync } from 'fflate';
import { startLocalWorker, type LocalWorker } from '../node/workerd/local.ts';
import { templateFiles } from '../node/templates/built-template.ts';
import { craftZip, deflatedZeros } from './crafted-zip.ts';
import { driveGets, percentile, round } from './measure.ts';

export interface AttackBenchRow {
  attack: string;
  /** Requests the attacker had answered during the measurement (each one a runaway stopped). */
  attacks: number;
  helloRequests: number;
  p50ms: number;
  p99ms: number;
  /** p99 as a multiple of hello's p99 without an attack. */
  vsQuiet: number;
  errors: number;
}

/** Each measurement lasts this long; an attack runs from before it starts until it ends. */
const SECONDS = 6;
/** Connections asking hello at once, and attackers at once. */
const HELLO_CONNECTIONS = 4;
const ATTACKERS = 2;

async function publish(platform: LocalWorker, archive: Uint8Array): Promise<Response> {
  return fetch(new URL('/api/apps', platform.url), { method: 'POST', body: archive as Uint8Array<ArrayBuffer>, headers: { 'content-type': 'application/zip' } });
}

async function publishedUrl(platform: LocalWorker, template: string): Promise<string> {
  const res = await publish(platform, zipSync(await templateFiles(template), { level: 1 }));
  if (!res.ok) throw new Error(`publishing ${template} answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { url: string }).url;
}

/** Hello's latencies over `SECONDS`, from `HELLO_CONNECTIONS` loops, sorted. */
async function measureHello(url: string): Promise<{ times: number[]; errors: number }> {
  const { latencies, errors } = await driveGets(url, SECONDS, HELLO_CONNECTIONS);
  return { times: latencies.sort((a, b) => a - b), errors };
}

/** Runs `attack` from `ATTACKERS` loops until `stop` resolves; counts the attacks answered. */
async function underAttack<T>(attack: () => Promise<unknown>, measure: () => Promise<T>): Promise<{ result: T; attacks: number }> {
  let stopped = false;
  let attacks = 0;
  const loop = async () => {
    while (!stopped) {
      await attack().catch(() => {});
      attacks++;
    }
  };
  const attackers = Array.from({ length: ATTACKERS }, loop);
  const result = await measure();
  const counted = attacks;
  stopped = true;
  await Promise.all(attackers);
  return { result, attacks: counted };
}

/** A zip whose headers claim 100 bytes per entry while each entry inflates to 300 MiB. */
function lyingBomb(): Uint8Array {
  const zeros = deflatedZeros(300);
  return craftZip([
    { name: 'spin.toml', deflated: deflatedZeros(2), declaredSize: 100 },
    { name: 'a.bin', deflated: zeros, declaredSize: 100 },
    { name: 'b.bin', deflated: zeros, declaredSize: 100 },
  ]);
}

export async function benchAttack(): Promise<AttackBenchRow[]> {
  const state = await mkdtemp(join(tmpdir(), 'twirl-bench-attack-'));
  const progress = (what: string) => process.env.TWIRL_BENCH_DEBUG && console.error(`[attack] ${what}`);
  const platform = await startLocalWorker({ port: 0, persistDir: state, logs: { write: () => {} } });
  try {
    progress('platform up');
    const hello = await publishedUrl(platform, 'http-js');
    const hostile = await publishedUrl(platform, 'fixtures/apps/hostile');
    const get = (path: string) => async () => void (await (await fetch(new URL(path, hostile))).arrayBuffer());
    progress('published');
    const bomb = lyingBomb();
    const attacks: Array<[string, (() => Promise<unknown>) | undefined]> = [
      ['none', undefined],
      ['loop of awaits', get('await-loop')],
      ['synchronous loop', get('sync-loop')],
      ['zip bomb with false sizes, published', async () => void (await (await publish(platform, bomb)).arrayBuffer())],
    ];
    // Warm: both apps' isolates loaded and their engines compiled.
    for (let i = 0; i < 20; i++) await (await fetch(hello)).arrayBuffer();
    await get('ok')();
    const rows: AttackBenchRow[] = [];
    let quietP99 = NaN;
    for (const [attack, run] of attacks) {
      const { result, attacks: count } = run ? await underAttack(run, () => measureHello(hello)) : { result: await measureHello(hello), attacks: 0 };
      progress(`${attack}: ${result.times.length} requests`);
      const p99 = percentile(result.times, 99);
      if (!run) quietP99 = p99;
      rows.push({
        attack,
        attacks: count,
        helloRequests: result.times.length,
        p50ms: round(percentile(result.times, 50), 1),
        p99ms: round(p99, 1),
        vsQuiet: round(p99 / quietP99, 2),
        errors: result.errors,
      });
    }
    return rows;
  } finally {
    await platform.stop();
    await rm(state, { recursive: true, force: true });
  }
}

if (resolve(process.argv[1] ?? '') === fileURLToPath(import.meta.url)) {
  console.table(await benchAttack());
}
