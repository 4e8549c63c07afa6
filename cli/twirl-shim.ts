/**
 * Build commands call `twirl componentize ...`, which must work in an app outside this repo
 * and without a global install: put a `twirl` that runs this very CLI, with this Node, on PATH.
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { delimiter, join, resolve } from 'node:path';

const binJs = resolve(import.meta.dirname, 'bin.js');

/** Writes `<stateDir>/bin/twirl` (and `twirl.cmd`) and returns an env whose PATH starts there. */
export async function envWithTwirl(stateDir: string): Promise<NodeJS.ProcessEnv> {
  const dir = join(stateDir, 'bin');
  await mkdir(dir, { recursive: true });
  const sh = `#!/bin/sh\nexec ${shellQuote(process.execPath)} ${shellQuote(binJs)} "$@"\n`;
  await writeFile(join(dir, 'twirl'), sh);
  await chmod(join(dir, 'twirl'), 0o755);
  await writeFile(join(dir, 'twirl.cmd'), `@"${process.execPath}" "${binJs}" %*\r\n`);
  const pathKey = Object.keys(process.env).find((k) => k.toUpperCase() === 'PATH') ?? 'PATH';
  return { ...process.env, [pathKey]: [dir, process.env[pathKey]].filter(Boolean).join(delimiter) };
}

const shellQuote = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`;
