/**
 * Kept-alive clients under load: 100 undici clients, one connection each, send 3 rounds of
 * uploads (1 MB, every fourth 12 MB, over the 10 MiB limit) to an app on local workerd, through
 * `twirl up`'s front and to workerd directly (the baseline, same run). A round waits for its
 * slowest client, so the fast ones leave their connections idle for seconds: on a busy machine
 * some reuse them just as workerd closes them (its 5 s idle close); a client that keeps idle
 * connections longer than 5 s (browsers, Node's http.Agent) reuses closed ones. Counts, not times.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { builtTemplate } from '../node/templates/built-template.ts';
import { startLocalWorker } from '../node/workerd/local.ts';

const CLIENTS = 100;
const ROUNDS = 3;

async function uploads(base: string, keepAliveTimeout: number): Promise<{ answered: number; resets: number; idleReused: number; seconds: number }> {
  const agents = Array.from({ length: CLIENTS }, () => new Agent({ connections: 1, keepAliveTimeout, keepAliveMaxTimeout: keepAliveTimeout }));
  const lastAnswer = new Map<Agent, number>();
  let answered = 0;
  let resets = 0;
  let idleReused = 0;
  const started = Date.now();
  for (let round = 0; round < ROUNDS; round++) {
    await Promise.all(
      agents.map(async (agent, i) => {
        const idle = Date.now() - (lastAnswer.get(agent) ?? Date.now());
        const size = (i + round) % 4 === 0 ? 12_000_000 : 1_000_000;
        try {
          const res = await request(base, { method: 'POST', body: new Uint8Array(size), dispatcher: agent });
          await res.body.dump();
          answered++;
          if (idle > 3_500) idleReused++;
          lastAnswer.set(agent, Date.now());
        } catch {
          // ECONNRESET, EPIPE, UND_ERR_SOCKET: the connection was lost under the request.
          resets++;
          lastAnswer.delete(agent);
        }
      }),
    );
  }
  await Promise.all(agents.map((agent) => agent.close()));
  return { answered, resets, idleReused, seconds: (Date.now() - started) / 1000 };
}

export async function benchKeepAliveResets(): Promise<object[]> {
  const state = await mkdtemp(join(tmpdir(), 'twirl-bench-resets-'));
  const worker = await startLocalWorker({ port: 0, appDir: (await builtTemplate('http-js')).dir, persistDir: state, logs: { write: () => {} } });
  try {
    const rows: object[] = [];
    // undici's default keeps an idle connection 4 s; browsers and Node's http.Agent keep theirs longer.
    for (const keepAliveTimeout of [4_000, 30_000]) {
      for (const [target, url] of [['workerd directly (baseline)', worker.workerdUrl], ['twirl up (local front)', worker.url]] as const) {
        const { answered, resets, idleReused, seconds } = await uploads(url, keepAliveTimeout);
        rows.push({ target, 'client keeps idle (s)': keepAliveTimeout / 1000, requests: CLIENTS * ROUNDS, answered, resets, 'reused after >3.5 s idle': idleReused, seconds });
      }
    }
    return rows;
  } finally {
    await worker.stop();
    await rm(state, { recursive: true, force: true });
  }
}
