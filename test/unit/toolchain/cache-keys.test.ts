/**
 * The on-disk caches of prepared components and of pre-initialisation's runnable engine are
 * keyed by digests of named source files. A file their code imports but the list leaves out
 * would let a change to it reuse output made by the code before it: each list must cover every
 * file of `shared/` its entry points reach through their imports.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { relative, resolve } from 'node:path';
import { sourceClosure } from '../../../node/component/source-closure.ts';
import { preparingEntries, preparingFiles } from '../../../node/component/load-component.ts';
import { runnableSources } from '../../../node/toolchain/world-engine.ts';

const sharedDir = resolve(import.meta.dirname, '../../../shared');

async function sharedImports(entries: readonly string[]): Promise<string[]> {
  const { files } = await sourceClosure(entries.map((entry) => `shared/${entry}`));
  return files.filter((file) => file.startsWith(`${sharedDir}/`)).map((file) => relative(sharedDir, file));
}

for (const [key, entries, listed] of [
  ['the prepared-component cache (load-component.ts preparingFiles)', preparingEntries, preparingFiles],
  ['the runnable engine (world-engine.ts runnableSources)', ['build/preinit.ts'], runnableSources],
] as const) {
  test(`${key} is keyed on every file its code imports`, async () => {
    const missing = (await sharedImports(entries)).filter((file) => !listed.includes(file));
    assert.deepEqual(missing, [], `add to the list: ${missing.join(', ')}`);
  });
}
