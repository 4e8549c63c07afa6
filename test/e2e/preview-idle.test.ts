/**
 * The preview's service worker while nobody sends it requests. The browser stops a worker after
 * ~30 s without events; the playground keeps its app's worker serving while it is on screen.
 * Chromium runs here without playwright: a debugger attached to a service worker keeps it
 * running, which would hide the very stop this checks. The page alone is driven, over the
 * DevTools protocol, and the worker's running status is read from the page's session.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CHROMIUM } from '../../node/browser/chromium.ts';
import { expect } from '../../node/playground/expect.ts';
import { startPlayground, type Playground } from '../../node/playground/playground-server.ts';

/** Longer than the browser's idle timeout (30 s), with room for a late timer on a loaded machine. */
const IDLE_MS = 45_000;

interface Message {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: unknown;
}

let playground: Playground;
let chromium: ChildProcess;
let profile: string;
let socket: WebSocket;
let sessionId: string;
const statuses: Array<{ at: number; status: string }> = [];

let nextId = 0;
const replies = new Map<number, (message: Message) => void>();
function send(method: string, params: object = {}, session?: string): Promise<Record<string, unknown>> {
  const id = ++nextId;
  return new Promise((resolve, reject) => {
    replies.set(id, (m) => (m.error ? reject(new Error(`${method}: ${JSON.stringify(m.error)}`)) : resolve(m.result ?? {})));
    socket.send(JSON.stringify({ id, method, params, ...(session ? { sessionId: session } : {}) }));
  });
}

/** Script contexts of the page's frames, by id, with their origins (the app's frames are on its own origin). */
const contexts = new Map<number, string>();
const appOrigin = /^http:\/\/[0-9a-f]{16}\.twirl\.localhost:\d+$/;

/** What `/` answers, fetched in a frame on the app's origin (the bridge's), through its worker. */
async function fetchOnAppOrigin(): Promise<string> {
  const contextId = [...contexts].findLast(([, origin]) => appOrigin.test(origin))?.[0];
  if (contextId === undefined) throw new Error('no frame on the app’s origin yet');
  const { result } = (await send('Runtime.evaluate', { contextId, awaitPromise: true, returnByValue: true, expression: "fetch('/', { cache: 'no-store' }).then((r) => r.text())" }, sessionId)) as {
    result: { value?: string };
  };
  return result.value ?? '';
}

before(async () => {
  playground = await startPlayground();
  profile = await mkdtemp(join(tmpdir(), 'twirl-idle-'));
  chromium = spawn(CHROMIUM, ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', `--user-data-dir=${profile}`, '--remote-debugging-port=0', playground.url], { stdio: 'ignore' });
  // Chromium picks its own port and writes it into the profile.
  const port = (await expect(join(profile, 'DevToolsActivePort'), 'Chromium’s DevTools port', (file) => readFile(file, 'utf8'), /^\d+\n/, 60_000)).split('\n')[0];
  const version = (await (await fetch(`http://127.0.0.1:${port}/json/version`)).json()) as { webSocketDebuggerUrl: string };
  socket = new WebSocket(version.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => ((socket.onopen = resolve), (socket.onerror = reject)));
  socket.onmessage = (event) => {
    const message = JSON.parse(String(event.data)) as Message;
    if (message.id !== undefined) replies.get(message.id)?.(message);
    else if (message.method === 'Runtime.executionContextCreated') {
      const { context } = message.params as { context: { id: number; origin: string } };
      contexts.set(context.id, context.origin);
    } else if (message.method === 'Runtime.executionContextDestroyed') contexts.delete((message.params as { executionContextId: number }).executionContextId);
    else if (message.method === 'ServiceWorker.workerVersionUpdated') {
      for (const v of (message.params as { versions: Array<{ runningStatus: string }> }).versions) statuses.push({ at: Date.now(), status: v.runningStatus });
    }
  };
  const { targetInfos } = (await send('Target.getTargets')) as { targetInfos: Array<{ type: string; targetId: string }> };
  const page = targetInfos.find((t) => t.type === 'page');
  assert.ok(page, 'Chromium opened the playground');
  ({ sessionId } = (await send('Target.attachToTarget', { targetId: page.targetId, flatten: true })) as { sessionId: string });
  await send('Runtime.enable', {}, sessionId);
  await send('ServiceWorker.enable', {}, sessionId);
});

after(async () => {
  socket?.close();
  chromium?.kill();
  await playground?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
});

test('the preview’s worker keeps serving while the playground is on screen: no stop in 45 s without requests', async () => {
  await expect(undefined, 'the hello app’s answer on its origin', fetchOnAppOrigin, /^Hello, Fermyon!/, 120_000);
  const quietSince = Date.now();
  const stops = () => statuses.filter((s) => s.at >= quietSince && s.status !== 'running');
  // Nothing is sent meanwhile; a stop fails the test as soon as it is seen.
  while (Date.now() - quietSince < IDLE_MS) {
    assert.deepEqual(stops(), [], `the worker stopped ${Math.round((Date.now() - quietSince) / 1000)} s after the last request`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  assert.match(await fetchOnAppOrigin(), /^Hello, Fermyon!/);
  assert.deepEqual(stops(), [], 'the worker ran throughout');
});
