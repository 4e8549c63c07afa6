/**
 * Components built by Spin's own JS toolchain: `j2w` of `@spinframework/build-tools`, run on
 * `test/fixtures/j2w` as Spin's JS templates run it. Built once per fixture content, greeting and
 * toolchain version, cached under `.cache/components/j2w-<hash>/`.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const fixture = join(repoRoot, 'test/fixtures/j2w');
const require = createRequire(import.meta.url);
const buildToolsDir = dirname(require.resolve('@spinframework/build-tools/package.json'));
const j2w = join(buildToolsDir, 'dist/index.js');
const preopens = fileURLToPath(new URL('./j2w-preopens.ts', import.meta.url));

/** The probe built by j2w with `greeting` as its first line. */
export async function j2wComponent(greeting: string): Promise<Uint8Array> {
  const hash = createHash('sha256').update(`${greeting}\0`);
  for (const pkg of ['@spinframework/build-tools', '@spinframework/wasi-http-proxy']) hash.update(await readFile(require.resolve(`${pkg}/package.json`)));
  for (const name of (await readdir(fixture, { recursive: true })).sort()) {
    const path = join(fixture, name);
    if ((await stat(path)).isFile()) hash.update(`${name}\0`).update(await readFile(path));
  }
  hash.update(await readFile(join(repoRoot, 'shared/wit/spin.wit')));
  // Inside the repo, so j2w finds @spinframework/wasi-http-proxy in its node_modules, as an app's build would.
  const dir = join(repoRoot, '.cache/components', `j2w-${hash.digest('hex').slice(0, 16)}`);
  const out = join(dir, 'probe.wasm');
  if (!(await stat(out).then(() => true, () => false))) await build(dir, greeting);
  return new Uint8Array(await readFile(out));
}

async function build(dir: string, greeting: string): Promise<void> {
  const staging = `${dir}.${process.pid}.${Date.now()}`;
  await cp(fixture, staging, { recursive: true });
  await mkdir(join(staging, 'wit/deps/spin'), { recursive: true });
  await cp(join(repoRoot, 'shared/wit/spin.wit'), join(staging, 'wit/deps/spin/package.wit'));
  const source = join(staging, 'probe.js');
  await writeFile(source, (await readFile(source, 'utf8')).replace("'Hello from j2w'", JSON.stringify(greeting)));
  const output = await run(staging);
  // j2w reports a failure and still exits 0: the component is what says it worked.
  if (!(await stat(join(staging, 'probe.wasm')).then(() => true, () => false))) {
    await rm(staging, { recursive: true, force: true });
    throw new Error(`j2w built no component:\n${output}`);
  }
  await rename(staging, dir).catch(() => rm(staging, { recursive: true, force: true }));
}

function run(cwd: string): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', preopens, j2w, '-i', 'probe.js', '-o', 'probe.wasm'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (output += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (output += s));
    child.once('error', fail);
    child.once('exit', () => done(output));
  });
}
