/** The platform worker on workerd for a test file, and app archives made from built templates. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { zipSync } from 'fflate';
import { startLocalWorker, type LocalWorker, type LocalWorkerOptions } from '../../../node/workerd/local.ts';

export interface RunningWorker extends LocalWorker {
  persistDir: string;
  /** Resolves `path` against the worker's URL. */
  at(path: string): URL;
}

/** Starts a local worker with state in a fresh temporary folder (kept by `restart`, removed by `stop`). */
export async function startWorker(options: Partial<LocalWorkerOptions> = {}): Promise<RunningWorker> {
  const persistDir = options.persistDir ?? (await mkdtemp(join(tmpdir(), 'twirl-worker-test-')));
  const worker = await startLocalWorker({ port: 0, ...options, persistDir });
  return { ...worker, persistDir, at: (path) => new URL(path, worker.url) };
}

export async function removeState(worker: RunningWorker): Promise<void> {
  await worker.stop();
  await rm(worker.persistDir, { recursive: true, force: true });
}

/** Re-exported: the benchmarks make archives of built templates too. */
export { templateFiles } from '../../../node/templates/built-template.ts';

export const zip = (files: Record<string, Uint8Array>): Uint8Array => zipSync(files, { level: 1 });

export const text = (s: string): Uint8Array => new TextEncoder().encode(s);

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export interface Published {
  digest: string;
  url: string;
}

export async function publish(worker: RunningWorker, archive: Uint8Array, headers: Record<string, string> = {}): Promise<Response> {
  const send = () => fetch(worker.at('/api/apps'), { method: 'POST', body: archive as Uint8Array<ArrayBuffer>, headers: { 'content-type': 'application/zip', ...headers } });
  // The local front keeps kept-alive connections through workerd's idle close, but on a heavily
  // loaded machine workerd still, rarely, drops a connection while a publish is in flight, with no
  // answer. Publishing is idempotent (content-addressed): send once more, as a client would.
  return send().catch((err: unknown) => {
    if (/EPIPE|ECONNRESET|UND_ERR_SOCKET/.test(String((err as { cause?: { code?: string } }).cause?.code))) return send();
    throw err;
  });
}

/** Publishes and expects success. */
export async function published(worker: RunningWorker, archive: Uint8Array): Promise<Published> {
  const res = await publish(worker, archive);
  if (res.status !== 201 && res.status !== 200) throw new Error(`publish answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as Published;
}
