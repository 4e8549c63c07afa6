/**
 * Where the preview's requests spend CPU, thread by thread: the CPU time every thread of the
 * browser (and of this process) used per request, for the hello app's `/` and for the health
 * route, from /proc (Linux), in alternating rounds at one concurrency. The profile of the
 * service worker alone (sw-profile.ts) misses what a request costs elsewhere — the page, the
 * browser's network and loader threads, the garbage collector's helpers — and on a machine of
 * few cores that is the cost that sets the rate.
 * `node bench/browser-threads.ts [requests per round] [concurrency]`.
 */
import { readFile } from 'node:fs/promises';
import { processes, threadsOf } from './proc-threads.ts';
import { round } from './measure.ts';
import { openHelloPreview } from './preview-load.ts';

const [requests = '1000', concurrency = '10'] = process.argv.slice(2);
const ROUNDS = 4;
const PATHS = { health: '/.well-known/spin/health', hello: '/' } as const;
/**
 * A thread's time on a CPU, read in nanoseconds (the first field of its schedstat). Its stat
 * counts 10 ms clock ticks: a thread spending 0.05 ms a request reads 5 ticks in 1,000 requests,
 * give or take one, a fifth of the figure.
 */
const NS_PER_MS = 1e6;

/** CPU ms used so far by each thread of Chromium's processes and of this one, keyed by process kind and thread name. */
async function threadCpuMs(): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const { pid, cmdline } of await processes((cmdline, pid) => Number(pid) === process.pid || cmdline.includes('chromium'))) {
    const kind = Number(pid) === process.pid ? 'bench' : `chromium ${/--type=([\w-]+)/.exec(cmdline)?.[1] ?? 'browser'}`;
    for (const { tid, name } of await threadsOf(pid)) {
      const schedstat = await readFile(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').catch(() => undefined);
      if (schedstat === undefined) continue;
      const key = `${kind}: ${name.replace(/\d+$/, '')}`;
      out.set(key, (out.get(key) ?? 0) + Number(schedstat.split(' ')[0]) / NS_PER_MS);
    }
  }
  return out;
}

const preview = await openHelloPreview();
try {
  const load = (total: number, path: string) => preview.rate(path, total, Number(concurrency));
  for (const path of Object.values(PATHS)) {
    const { requests, compileUs } = await preview.warm(path);
    console.log(`warm-up of ${path}: ${requests} requests (optimising compile ${compileUs.toFixed(0)} µs per request in the last 500)`);
  }
  const perRequest = { health: new Map<string, number>(), hello: new Map<string, number>() };
  const rates = { health: [] as number[], hello: [] as number[] };
  for (let turn = 0; turn < ROUNDS; turn++) {
    for (const which of turn % 2 === 0 ? (['health', 'hello'] as const) : (['hello', 'health'] as const)) {
      const before = await threadCpuMs();
      rates[which].push(await load(Number(requests), PATHS[which]));
      for (const [thread, ms] of await threadCpuMs()) {
        const used = (ms - (before.get(thread) ?? 0)) / Number(requests) / ROUNDS;
        perRequest[which].set(thread, (perRequest[which].get(thread) ?? 0) + used);
      }
    }
  }
  const threads = [...new Set([...perRequest.health.keys(), ...perRequest.hello.keys()])];
  const row = (thread: string, health: number, hello: number) => ({ thread, 'health (CPU ms/request)': round(health, 3), 'hello (CPU ms/request)': round(hello, 3), 'hello − health': round(hello - health, 3) });
  const rows = threads
    .map((t) => row(t, perRequest.health.get(t) ?? 0, perRequest.hello.get(t) ?? 0))
    .filter((r) => r['health (CPU ms/request)'] + r['hello (CPU ms/request)'] >= 0.02)
    .sort((a, b) => b['hello (CPU ms/request)'] - a['hello (CPU ms/request)']);
  const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  rows.push(row('all threads', sum(perRequest.health), sum(perRequest.hello)));
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  console.log(`c=${concurrency}, ${ROUNDS} rounds of ${requests}: health ${mean(rates.health).toFixed(0)} req/s, hello ${mean(rates.hello).toFixed(0)} req/s (${(mean(rates.hello) / mean(rates.health)).toFixed(3)} of health)`);
  console.table(rows);
} finally {
  await preview.close();
}
