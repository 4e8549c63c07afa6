/**
 * The editor's language worker: TypeScript's language service over the app's files, off the
 * page's thread. Started on the first JS/TS file opened; TypeScript and the declaration files
 * are bundled into this worker alone, so the playground's first load carries none of it.
 */
/// <reference lib="webworker" />
import ts from 'typescript';
import { environmentPath } from './environment-files.ts';
import type { LanguageAnswers, LanguageReply, LanguageRequest } from './language-protocol.ts';
import { TypeScriptProject } from './typescript-project.ts';

declare const self: DedicatedWorkerGlobalScope;

const packaged = {
  ...import.meta.glob<string>('../../node_modules/typescript/lib/lib.{es,webworker,decorators}*.d.ts', { query: '?raw', import: 'default', eager: true }),
  ...import.meta.glob<string>(['../../node_modules/hono/package.json', '../../node_modules/hono/dist/types/**/*.d.ts'], { query: '?raw', import: 'default', eager: true }),
};
const own = import.meta.glob<string>('./types/*.d.ts', { query: '?raw', import: 'default', eager: true });

const environment = new Map<string, string>();
const add = (found: string, text: string) => {
  const path = environmentPath(found);
  if (path) environment.set(path, text);
};
for (const [found, text] of Object.entries(packaged)) add(found.replace(/^(\.\.\/)+/, '/'), text);
for (const [found, text] of Object.entries(own)) add(found.replace(/^\.\//, '/editor/'), text);
const project = new TypeScriptProject(ts, environment);

self.addEventListener('message', (event: MessageEvent<LanguageRequest>) => {
  const { id, files, query } = event.data;
  let reply: LanguageReply;
  try {
    project.setFiles(files);
    const value: LanguageAnswers[typeof query.kind] =
      query.kind === 'diagnostics'
        ? project.diagnostics(query.path)
        : query.kind === 'completions'
          ? project.completions(query.path, query.position)
          : query.kind === 'quick-info'
            ? project.quickInfo(query.path, query.position)
            : project.format(query.path);
    reply = { id, ok: true, value };
  } catch (err) {
    reply = { id, ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  self.postMessage(reply);
});
