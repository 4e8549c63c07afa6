/**
 * A CPU profile of the preview's service worker while it serves the hello app (or another path):
 * Chromium's sampling profiler on the worker's own target, summarised by function (self time)
 * and by script, then the same for the health route. `node bench/sw-profile.ts [path] [requests]
 * [concurrency]`; the profiles are written to /tmp/sw-*.cpuprofile for DevTools.
 */
import { writeFile } from 'node:fs/promises';
import { openHelloPreview } from './preview-load.ts';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [path = '/', requests = '2000', concurrency = '1'] = process.argv.slice(2);
const PORT = 9333;

const preview = await openHelloPreview([`--remote-debugging-port=${PORT}`]);
try {
  const load = (total: number, path: string) => preview.rate(path, total, Number(concurrency));
  await preview.warm(path);
  const targets = (await (await fetch(`http://127.0.0.1:${PORT}/json/list`)).json()) as Array<{ type: string; url: string; webSocketDebuggerUrl: string }>;
  const sw = targets.find((t) => t.type === 'service_worker' && t.url.endsWith('/sw.js'));
  if (!sw) throw new Error(`no service worker target: ${JSON.stringify(targets.map((t) => [t.type, t.url]))}`);
  const socket = new WebSocket(sw.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => ((socket.onopen = resolve), (socket.onerror = reject)));
  let next = 1;
  const pending = new Map<number, (result: unknown) => void>();
  socket.onmessage = (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown; error?: unknown };
    if (message.id !== undefined) pending.get(message.id)?.(message.error ? Promise.reject(new Error(JSON.stringify(message.error))) : message.result);
  };
  const send = <T>(method: string, params: object = {}): Promise<T> =>
    new Promise((resolve) => {
      const id = next++;
      pending.set(id, resolve as (r: unknown) => void);
      socket.send(JSON.stringify({ id, method, params }));
    });
  await send('Profiler.enable');
  await send('Profiler.setSamplingInterval', { interval: 100 });
  for (const p of [path, '/.well-known/spin/health']) {
    await send('Profiler.start');
    const rps = await load(Number(requests), p);
    const { profile } = await send<{ profile: Profile }>('Profiler.stop');
    const file = `/tmp/sw${p.replaceAll(/[^a-z]+/g, '-')}.cpuprofile`;
    await writeFile(file, JSON.stringify(profile));
    console.log(`\n### ${p}: ${rps.toFixed(0)} req/s at c=${concurrency} while profiling (${file})`);
    summarise(profile);
  }
  socket.close();
} finally {
  await preview.close();
}

function summarise(profile: Profile): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map<string, number>();
  const byScript = new Map<string, number>();
  for (const [id, us] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const script = url.split('/').pop() || '(native)';
    const key = `${functionName || '(anonymous)'} ${script}:${lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    byScript.set(script, (byScript.get(script) ?? 0) + us);
  }
  const top = (m: Map<string, number>, n: number) =>
    [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, us]) => `${((100 * us) / total).toFixed(1).padStart(5)}%  ${k}`).join('\n');
  console.log(`total sampled ${(total / 1000).toFixed(0)} ms\n-- by script --\n${top(byScript, 15)}\n-- by function (self) --\n${top(byFunction, 45)}`);
}
