/**
 * Where a request's CPU goes inside workerd: the hello app (http-js) deployed, published (its
 * Worker Loader isolate, or the platform worker in front of it), or the platform's constant
 * route, under load at 5 connections through the local front, sampled by V8's profiler over
 * workerd's inspector. Prints time by kind (the app's Wasm, the host's JS, jco's glue, natives,
 * workerd itself) and the functions with the most self time.
 * Runnable: `npx node bench/workerd-profile.ts [deployed|published|published-platform|constant] [requests]`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { startLocalWorker, type LocalWorker } from '../node/workerd/local.ts';
import { builtTemplate, templateFiles } from '../node/templates/built-template.ts';

type Target = 'deployed' | 'published' | 'published-platform' | 'constant';

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
  samples: number[];
  timeDeltas: number[];
}

/** A CDP session on one worker of workerd's inspector. */
async function session(inspectorUrl: string, worker: (name: string) => boolean) {
  const list = (await (await fetch(new URL('/json', inspectorUrl.replace(/^ws/, 'http')))).json()) as Array<{ webSocketDebuggerUrl: string }>;
  const found = list.find((w) => worker(new URL(w.webSocketDebuggerUrl).pathname.slice(1)));
  if (!found) throw new Error(`no such worker in ${list.map((w) => w.webSocketDebuggerUrl).join(', ')}`);
  const ws = new WebSocket(found.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => (ws.addEventListener('open', resolve), ws.addEventListener('error', reject)));
  let next = 0;
  const pending = new Map<number, (result: unknown) => void>();
  ws.addEventListener('message', (e) => {
    const message = JSON.parse(String(e.data)) as { id?: number; result?: unknown; error?: unknown };
    if (message.id !== undefined) pending.get(message.id)?.(message.result ?? message.error);
  });
  return {
    send: <T>(method: string, params: object = {}) =>
      new Promise<T>((resolve) => {
        const id = ++next;
        pending.set(id, resolve as (r: unknown) => void);
        ws.send(JSON.stringify({ id, method, params }));
      }),
    close: () => ws.close(),
  };
}

function kindOf(frame: CpuProfile['nodes'][number]['callFrame']): string {
  const { functionName: f, url } = frame;
  if (f === '(idle)') return 'idle';
  if (f === '(program)') return 'workerd (native, outside JS)';
  if (f === '(garbage collector)') return 'garbage collection';
  if (f.startsWith('wasm-function') || f.includes('js-to-wasm') || f.includes('wasm-to-js')) return 'component (Wasm)';
  // The worker's bundle is index.js; jco's glue modules are named by their content.
  if (url.split('/').at(-1) === 'index.js') return 'host JS (worker, engine)';
  if (url.endsWith('.js')) return "jco's glue";
  return 'runtime builtins (Request, Headers, timers…)';
}

function summary(profile: CpuProfile, top: number): { kinds: object[]; functions: object[] } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const kinds = new Map<string, number>();
  const functions = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id)!;
    const dt = profile.timeDeltas[i] ?? 0;
    const kind = kindOf(frame);
    kinds.set(kind, (kinds.get(kind) ?? 0) + dt);
    if (kind === 'idle') return;
    const name = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').at(-1) ?? ''}:${frame.lineNumber}`;
    functions.set(name, (functions.get(name) ?? 0) + dt);
  });
  const busy = [...kinds].filter(([k]) => k !== 'idle').reduce((sum, [, t]) => sum + t, 0);
  const share = (t: number) => Math.round((t / busy) * 1000) / 10;
  return {
    kinds: [...kinds].filter(([k]) => k !== 'idle').sort((a, b) => b[1] - a[1]).map(([kind, t]) => ({ kind, '% of busy': share(t) })),
    functions: [...functions].sort((a, b) => b[1] - a[1]).slice(0, top).map(([fn, t]) => ({ function: fn, '% self': share(t) })),
  };
}

export async function profileWorkerd(target: Target, requests = 3000): Promise<{ rps: number; kinds: object[]; functions: object[] }> {
  const state = await mkdtemp(join(tmpdir(), 'twirl-workerd-profile-'));
  const quiet = { write: () => {} };
  let worker: LocalWorker | undefined;
  try {
    let url: string;
    let isolate: (name: string) => boolean;
    if (target === 'deployed') {
      worker = await startLocalWorker({ port: 0, appDir: (await builtTemplate('http-js')).dir, persistDir: state, logs: quiet, inspectorPort: 0 });
      url = worker.url;
      isolate = (name) => name === 'core:user:app';
    } else {
      worker = await startLocalWorker({ port: 0, persistDir: state, logs: quiet, inspectorPort: 0 });
      if (target === 'constant') url = new URL('/api', worker.url).href;
      else {
        const archive = zipSync(await templateFiles('http-js'), { level: 1 });
        const res = await fetch(new URL('/api/apps', worker.url), { method: 'POST', body: archive as Uint8Array<ArrayBuffer> });
        if (!res.ok) throw new Error(`publishing answered ${res.status}: ${await res.text()}`);
        url = ((await res.json()) as { url: string }).url;
      }
      isolate = target === 'published' ? (name) => name.startsWith('LOADER:app-') : (name) => name === 'core:user:twirl';
    }
    const get = async () => {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
    };
    // Warm: the engine made, its code tiered up.
    for (let i = 0; i < 300; i++) await get();
    const cdp = await session(worker.inspectorUrl!, isolate);
    try {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
      let started = 0;
      const begin = performance.now();
      await Promise.all(Array.from({ length: 5 }, async () => {
        while (started++ < requests) await get();
      }));
      const rps = requests / ((performance.now() - begin) / 1000);
      const { profile } = await cdp.send<{ profile: CpuProfile }>('Profiler.stop');
      return { rps: Math.round(rps), ...summary(profile, 25) };
    } finally {
      cdp.close();
    }
  } finally {
    await worker?.stop();
    await rm(state, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  const target = (process.argv[2] ?? 'deployed') as Target;
  const { rps, kinds, functions } = await profileWorkerd(target, Number(process.argv[3] ?? 3000));
  console.log(`${target}: ${rps} requests/s while sampled (5 connections)`);
  console.table(kinds);
  console.table(functions);
}
