/**
 * `npm test`: the browser tests in one lane, everything else in another, both at once. Each lane
 * runs its files one after another (they share browsers, caches and CPU); the two lanes share
 * nothing but caches written by rename, and a 2-core machine keeps both busy. Lines are prefixed
 * with their lane; the exit code is non-zero if either lane failed.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const lanes = {
  browser: ['test/e2e/**/*.test.ts'],
  node: ['test/unit/**/*.test.ts', 'test/cli/**/*.test.ts', 'test/worker/**/*.test.ts'],
};

// Every test file's process loads miniflare with its config segment growing by doubling (capnp-growth.ts).
const capnpGrowth = fileURLToPath(new URL('../../node/workerd/capnp-growth.ts', import.meta.url));

function run(name: string, globs: string[]): Promise<number> {
  const child = spawn(process.execPath, ['--import', capnpGrowth, '--test', '--test-concurrency=1', '--test-timeout=600000', ...globs], { stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => console.log(`[${name}] ${line}`));
  }
  return new Promise((done) => child.once('exit', (code, signal) => done(code ?? (signal ? 1 : 0))));
}

const started = performance.now();
const codes = await Promise.all(Object.entries(lanes).map(([name, globs]) => run(name, globs)));
console.log(`test lanes finished in ${Math.round((performance.now() - started) / 1000)} s: ${Object.keys(lanes).map((name, i) => `${name} exit ${codes[i]}`).join(', ')}`);
process.exitCode = codes.some((c) => c !== 0) ? 1 : 0;
