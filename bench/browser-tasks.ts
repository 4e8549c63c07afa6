/**
 * The browser's tasks per request, thread by thread: Chromium's trace (`toplevel`, every task a
 * thread runs and where it was posted from) during load on the hello app's `/` and on the health
 * route, in alternating rounds. Where browser-threads.ts says how much CPU each thread spends,
 * this says on what: a task more per request (a timer, a message), or the same tasks taking
 * longer (each runs on caches the one before left cold). Only a thread's outermost tasks count,
 * by their thread time: nested ones are inside them.
 * `node bench/browser-tasks.ts [requests per round] [concurrency]`.
 */
import { round } from './measure.ts';
import { browserOf, openHelloPreview } from './preview-load.ts';

const [requests = '500', concurrency = '1'] = process.argv.slice(2);
const ROUNDS = 4;
const ROWS = 30;
const PATHS = { health: '/.well-known/spin/health', hello: '/' } as const;

interface TraceEvent {
  ph: string;
  cat?: string;
  name: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string; src_func?: string };
}

/** Tasks and their thread time (µs), by thread and task. */
type Tally = Map<string, { tasks: number; us: number }>;

/** Adds the outermost tasks of each thread in `events` to `tally`. */
function addTasks(events: TraceEvent[], tally: Tally): void {
  const threads = new Map<string, string>();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') threads.set(`${e.pid}:${e.tid}`, e.args?.name ?? String(e.tid));
  const byThread = new Map<string, TraceEvent[]>();
  for (const e of events) {
    if (e.ph !== 'X' || e.cat !== 'toplevel') continue;
    const key = `${e.pid}:${e.tid}`;
    const tasks = byThread.get(key);
    if (tasks) tasks.push(e);
    else byThread.set(key, [e]);
  }
  for (const [key, tasks] of byThread) {
    tasks.sort((a, b) => a.ts - b.ts);
    let outerEnd = -Infinity;
    for (const e of tasks) {
      if (e.ts < outerEnd) continue;
      outerEnd = e.ts + (e.dur ?? 0);
      // Thread names end in a number per instance (ThreadPoolForegroundWorker 3): one row for all.
      const row = `${(threads.get(key) ?? key).replace(/\s*\d+$/, '')} | ${e.name}${e.args?.src_func ? ` ${e.args.src_func}` : ''}`;
      const sum = tally.get(row) ?? { tasks: 0, us: 0 };
      sum.tasks++;
      sum.us += e.tdur ?? e.dur ?? 0;
      tally.set(row, sum);
    }
  }
}

const preview = await openHelloPreview();
try {
  for (const path of Object.values(PATHS)) await preview.warm(path);
  const browser = browserOf(preview.browser.page);
  const total: Record<keyof typeof PATHS, Tally> = { health: new Map(), hello: new Map() };
  for (let turn = 0; turn < ROUNDS; turn++) {
    for (const which of turn % 2 === 0 ? (['health', 'hello'] as const) : (['hello', 'health'] as const)) {
      await browser.startTracing(undefined, { categories: ['toplevel'] });
      await preview.rate(PATHS[which], Number(requests), Number(concurrency));
      const trace = JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] };
      addTasks(trace.traceEvents, total[which]);
    }
  }
  const perRequest = Number(requests) * ROUNDS;
  const rows = [...new Set([...total.health.keys(), ...total.hello.keys()])].map((row) => {
    const health = total.health.get(row) ?? { tasks: 0, us: 0 };
    const hello = total.hello.get(row) ?? { tasks: 0, us: 0 };
    return {
      'thread | task (posted from)': row.slice(0, 100),
      'health tasks': round(health.tasks / perRequest, 2),
      'hello tasks': round(hello.tasks / perRequest, 2),
      'health µs': round(health.us / perRequest, 0),
      'hello µs': round(hello.us / perRequest, 0),
      'hello − health µs': round((hello.us - health.us) / perRequest, 0),
    };
  });
  rows.sort((a, b) => Math.abs(b['hello − health µs']) - Math.abs(a['hello − health µs']));
  console.log(`c=${concurrency}, ${ROUNDS} rounds of ${requests} requests; per request, the outermost tasks of each thread and their thread time:`);
  console.table(rows.slice(0, ROWS));
} finally {
  await preview.close();
}
