/**
 * The page's side of the language worker: one worker for the page, started on the first query
 * (opening a JS/TS file), so a page that never shows one never loads TypeScript.
 */
import workerUrl from './language-worker.ts?worker&url';
import { startModuleWorker } from '../module-worker.ts';
import type { LanguageAnswers, LanguageQuery, LanguageReply, LanguageRequest } from './language-protocol.ts';

let worker: Worker | undefined;
let nextId = 1;
const pending = new Map<number, { resolve: (value: unknown) => void; reject: (err: Error) => void }>();

function languageWorker(): Worker {
  if (worker) return worker;
  const started = startModuleWorker(workerUrl, import.meta.url, 'twirl-language');
  started.addEventListener('message', (event: MessageEvent<LanguageReply>) => {
    const reply = event.data;
    const entry = pending.get(reply.id);
    pending.delete(reply.id);
    if (reply.ok) entry?.resolve(reply.value);
    else entry?.reject(new Error(reply.error));
  });
  started.addEventListener('error', (event) => {
    // A worker that cannot start (or dies) fails what waits on it; the next query starts another.
    for (const entry of pending.values()) entry.reject(new Error(`the language worker failed: ${event.message || 'it could not start'}`));
    pending.clear();
    if (worker === started) worker = undefined;
    started.terminate();
  });
  return (worker = started);
}

/** Asks the worker about the app whose text files are `files`. */
export function askLanguageService<Q extends LanguageQuery>(files: Record<string, string>, query: Q): Promise<LanguageAnswers[Q['kind']]> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
    languageWorker().postMessage({ id, files, query } satisfies LanguageRequest);
  });
}
