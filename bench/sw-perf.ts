/**
 * The preview's service-worker thread under Linux `perf`, for the hello app and for the health
 * route: its CPU per request by kind of code — the JS engine's Wasm (optimised or still
 * baseline), JS, V8's builtins, the copy a reset makes (libc's memmove), Chromium's own C++ and
 * the kernel — and the symbols that differ most. Chromium's profiler (sw-profile.ts) cannot
 * tell these apart: it files Wasm tiers, builtins and C++ under a few names. V8 names its code
 * for perf in /tmp/perf-<pid>.map (`--perf-basic-prof`, which needs the renderer unsandboxed);
 * Chromium's own symbols are stripped, so its C++ is charged to the nearest named caller.
 * Sampling at 10 kHz with call chains slows the thread: compare the columns, not the totals.
 * `node bench/sw-perf.ts [requests] [symbols]` (needs `perf`: Debian's linux-perf); `symbols`:
 * rows of the second table (default 30).
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { round } from './measure.ts';
import { openHelloPreview } from './preview-load.ts';
import { processes, threadsOf } from './proc-threads.ts';

const requests = Number(process.argv[2] ?? 3000);
const symbolRows = Number(process.argv[3] ?? 30);
const HZ = 10_000;
const PATHS = { hello: '/', health: '/.well-known/spin/health' } as const;
const run = promisify(execFile);

interface Sample {
  /** Each frame's address and perf's name for it (and the object it is in), leaf first. */
  frames: Array<{ ip: bigint; sym: string; dso: string }>;
}

/** V8's code by address (its perf map): JS functions, Wasm functions with their tier, builtins. */
class CodeMap {
  readonly #starts: bigint[] = [];
  readonly #entries: Array<{ end: bigint; name: string }> = [];
  constructor(text: string) {
    const rows = text.trim().split('\n').map((line) => {
      const [start, size, ...name] = line.split(' ');
      return { start: BigInt(`0x${start}`), end: BigInt(`0x${start}`) + BigInt(`0x${size}`), name: name.join(' ') };
    });
    rows.sort((a, b) => (a.start < b.start ? -1 : 1));
    for (const r of rows) {
      this.#starts.push(r.start);
      this.#entries.push({ end: r.end, name: r.name });
    }
  }
  nameOf(ip: bigint): string | undefined {
    let lo = 0;
    let hi = this.#starts.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.#starts[mid]! <= ip) lo = mid + 1;
      else hi = mid - 1;
    }
    const entry = this.#entries[hi];
    return entry && ip < entry.end ? entry.name : undefined;
  }
}

/** What a frame is: its kind, and a short name. Chromium's stripped C++ has no name. */
function classify(frame: Sample['frames'][number], code: CodeMap): { kind: string; name?: string } {
  const named = code.nameOf(frame.ip);
  if (named?.startsWith('Builtin:')) return { kind: 'V8 builtins', name: named };
  if (named) {
    const name = named.replace(/^JS:/, '').replace(/https?:\/\/[^ ]*\//, '');
    if (/wasm-function\[\d+\].*turbofan/.test(name)) return { kind: 'Wasm, optimised (TurboFan)', name: 'wasm (TurboFan)' };
    if (/wasm-function\[\d+\].*liftoff/.test(name)) return { kind: 'Wasm, baseline (Liftoff)', name: 'wasm (Liftoff)' };
    if (/wasm-to-js|js-to-wasm/.test(name)) return { kind: 'Wasm ↔ JS wrappers', name };
    return { kind: 'JS', name };
  }
  if (frame.dso.includes('kernel')) return { kind: 'kernel' };
  if (frame.dso.includes('libc')) return { kind: frame.sym.includes('memmove') ? 'memmove (mostly the reset\'s copy)' : 'libc, other', name: `libc ${frame.sym}` };
  return { kind: 'Chromium C++' };
}

/**
 * The samples of a recording. perf gives an address in Chromium's binary as an offset in the
 * file; V8's map names builtins (compiled into that binary) by their address at run time: the
 * binary's mapping, from perf's mmap events, converts one to the other.
 */
async function samplesOf(file: string): Promise<Sample[]> {
  const { stdout } = await run('perf', ['script', '-i', file, '-F', 'ip,sym,dso', '--show-mmap-events'], { maxBuffer: 2 ** 31 - 1 });
  const text = /MMAP2? .*\[(0x[0-9a-f]+)\((0x[0-9a-f]+)\) @ (0x[0-9a-f]+) .*r-xp (\S*\/chromium)$/m.exec(stdout);
  const toRunTime = text ? BigInt(text[1]!) - BigInt(text[3]!) : 0n;
  return stdout.split('\n\n').flatMap((block) => {
    const frames = [...block.matchAll(/^\s*([0-9a-f]+)\s+(.*?)\s*\((.*)\)\s*$/gm)].map(([, ip, sym, dso]) => {
      const address = BigInt(`0x${ip}`);
      return { ip: dso!.endsWith('/chromium') && address < toRunTime ? address + toRunTime : address, sym: sym!, dso: dso! };
    });
    return frames.length > 0 ? [{ frames }] : [];
  });
}

/** µs per request by kind of the leaf frame, and by name (C++ charged to its nearest JS or Wasm caller). */
function tally(samples: Sample[], code: CodeMap): { kinds: Map<string, number>; names: Map<string, number> } {
  const perSample = 1e6 / HZ / requests;
  const kinds = new Map<string, number>();
  const names = new Map<string, number>();
  const add = (m: Map<string, number>, key: string) => m.set(key, (m.get(key) ?? 0) + perSample);
  for (const { frames } of samples) {
    const leaf = classify(frames[0]!, code);
    add(kinds, leaf.kind);
    add(names, leaf.name ?? `C++ under ${namedCaller(frames, code) ?? '(no named caller)'}`);
  }
  return { kinds, names };
}

/** The nearest JS or Wasm frame above the leaf: builtins between (API callbacks, runtime entries) say little of who called. */
function namedCaller(frames: Sample['frames'], code: CodeMap): string | undefined {
  for (const frame of frames.slice(1)) {
    const { kind, name } = classify(frame, code);
    if (name && kind !== 'V8 builtins') return name;
  }
  return undefined;
}

const table = (a: Map<string, number>, b: Map<string, number>, key: string, rows: number) =>
  [...new Set([...a.keys(), ...b.keys()])]
    .map((k) => ({ [key]: k.slice(0, 110), 'hello (µs/request)': round(a.get(k) ?? 0, 1), 'health (µs/request)': round(b.get(k) ?? 0, 1), 'hello − health': round((a.get(k) ?? 0) - (b.get(k) ?? 0), 1) }))
    .sort((x, y) => y['hello − health'] - x['hello − health'])
    .slice(0, rows);

await run('perf', ['--version']).catch(() => {
  throw new Error('bench/sw-perf.ts needs Linux perf on the PATH (Debian: apt install linux-perf)');
});
const dir = await mkdtemp(join(tmpdir(), 'twirl-sw-perf-'));
// Interpreted JS gets frames of its own on the native stack, named in the map too; V8's own log,
// which the map flag turns on, goes nowhere instead of to isolate-*.log files in this folder.
const preview = await openHelloPreview(['--no-sandbox', '--js-flags=--perf-basic-prof --interpreted-frames-native-stack --no-logfile-per-isolate --logfile=/dev/null']);
let renderers: string[] = [];
try {
  await preview.warm(PATHS.hello);
  renderers = await rendererPids();
  const worker = await serviceWorkerThread(renderers);
  const mapFile = `/tmp/perf-${worker.pid}.map`;
  const tallies: Record<string, ReturnType<typeof tally>> = {};
  for (const [label, path] of Object.entries(PATHS)) {
    const data = join(dir, `${label}.data`);
    const perf = spawn('perf', ['record', '-g', '-F', String(HZ), '-t', worker.tid, '-o', data, '-q'], { stdio: 'inherit' });
    const exited = new Promise((resolve) => perf.on('exit', resolve));
    const rps = await preview.rate(path, requests, 1);
    perf.kill('SIGINT');
    await exited;
    // The map grows as V8 compiles: read it after each recording.
    tallies[label] = tally(await samplesOf(data), new CodeMap(await readFile(mapFile, 'utf8')));
    console.log(`${label}: ${requests} requests at c=1, ${round(rps, 0)} req/s while sampled`);
  }
  const { hello, health } = tallies as Record<keyof typeof PATHS, ReturnType<typeof tally>>;
  console.table(table(hello.kinds, health.kinds, 'kind of code (leaf)', 20));
  console.table(table(hello.names, health.names, 'symbol', symbolRows));
} finally {
  await preview.close();
  await rm(dir, { recursive: true, force: true });
  // Every renderer wrote a map of its own (about a megabyte each).
  await Promise.all(renderers.map((pid) => rm(`/tmp/perf-${pid}.map`, { force: true })));
}

async function rendererPids(): Promise<string[]> {
  return (await processes((cmdline) => cmdline.includes('--type=renderer'))).map(({ pid }) => pid);
}

/** The service worker's thread: Chromium names it "ServiceWorker thread" (15 characters kept). */
async function serviceWorkerThread(renderers: string[]): Promise<{ pid: string; tid: string }> {
  for (const pid of renderers) {
    const worker = (await threadsOf(pid)).find(({ name }) => name.startsWith('ServiceWorker'));
    if (worker) return { pid, tid: worker.tid };
  }
  throw new Error('no service worker thread in any renderer');
}
