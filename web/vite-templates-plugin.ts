/**
 * Vite plugin: prepares the templates (web/build-templates.ts, in a child process so
 * componentize-js's process-wide state stays out of vite's) before dev or build starts.
 * The output folder is vite's publicDir: served in dev, copied by build.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

export function playgroundTemplates(out: string): Plugin {
  let done: Promise<void> | undefined;
  return {
    name: 'twirl-playground-templates',
    buildStart() {
      done ??= prepare(out);
      return done;
    },
  };
}

function prepare(out: string): Promise<void> {
  const script = fileURLToPath(new URL('./build-templates.ts', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, '--out', out], { stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`preparing the playground's templates failed (exit ${code})`))));
  });
}
