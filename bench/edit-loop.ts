/**
 * The edit loop of the `http-js` template through the real CLI, as a user runs it: `twirl build`
 * after an edit, and `twirl watch` from a save to the new response. Once with the build made on
 * the world's kept engine (snapshot only), once with `--preinit native`, which builds in full as
 * every build did before (splice, wizer, stub WASI, wrap the component). The full path still
 * loads its result through the prepared shell, so its ratio is, if anything, in its favour.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { round } from './measure.ts';

const binJs = resolve(import.meta.dirname, '../cli/bin.js');

interface Row {
  step: string;
  path: string;
  'total (ms)': number;
  "vs today's path"?: number;
}

const GREETING = 'Hello, Fermyon!';

export async function benchEditLoop(): Promise<Row[]> {
  const dir = await mkdtemp(join(tmpdir(), 'twirl-bench-edit-'));
  const rows: Row[] = [];
  try {
    for (const [path, flag] of [
      ['snapshot on the kept engine', ''],
      ["today's path: full build", ' --preinit native'],
    ] as const) {
      const name = flag ? 'full' : 'snapshot';
      const app = join(dir, name);
      await twirl(['new', 'http-js', name, '--accept-defaults'], dir);
      const manifest = join(app, 'spin.toml');
      await writeFile(manifest, (await readFile(manifest, 'utf8')).replace(/(command = "twirl componentize [^"]*)"/, `$1${flag}"`));
      // The first build keeps the world's engine (when no earlier build has): not part of an edit.
      await twirl(['build'], app);

      await edit(app, 'Hello, build!');
      let started = performance.now();
      await twirl(['build'], app);
      rows.push({ step: 'twirl build after an edit', path, 'total (ms)': round(performance.now() - started, 0) });

      const watching = spawnTwirl(['watch', '--listen', '127.0.0.1:0'], app);
      try {
        const url = await servingUrl(watching.child, watching.output);
        await edit(app, 'Hello, watch!');
        started = performance.now();
        await untilBody(url, 'Hello, watch!');
        rows.push({ step: 'twirl watch: save → new response', path, 'total (ms)': round(performance.now() - started, 0) });
        // A later save, as a user's next edit: the first may still wait for watch's warm-up.
        await edit(app, 'Hello, watch again!');
        started = performance.now();
        await untilBody(url, 'Hello, watch again!');
        rows.push({ step: 'twirl watch: a later save → new response', path, 'total (ms)': round(performance.now() - started, 0) });
      } finally {
        watching.child.kill('SIGINT');
        await new Promise((done) => (watching.child.exitCode !== null ? done(null) : watching.child.once('exit', done)));
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  for (const row of rows) {
    const baseline = rows.find((r) => r.step === row.step && r.path !== row.path && r.path.startsWith('today'));
    if (baseline) row["vs today's path"] = round(row['total (ms)'] / baseline['total (ms)'], 2);
  }
  return rows;
}

function spawnTwirl(args: string[], cwd: string): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [binJs, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (output += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (output += s));
  return { child, output: () => output };
}

/** Runs `twirl ...args` in `cwd`; throws with its output if it fails. */
function twirl(args: string[], cwd: string): Promise<void> {
  const { child, output } = spawnTwirl(args, cwd);
  return new Promise((done, fail) => {
    child.once('exit', (code) => (code === 0 ? done() : fail(new Error(`twirl ${args.join(' ')} failed (${code}):\n${output()}`))));
  });
}

/** The URL a `twirl up`/`watch` serves at, once it prints it. */
async function servingUrl(child: ChildProcess, output: () => string): Promise<string> {
  const deadline = Date.now() + 600_000;
  for (;;) {
    const url = /Serving (\S+)/.exec(output())?.[1];
    if (url && output().includes('Available Routes:')) return url;
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`twirl watch did not start:\n${output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function edit(app: string, greeting: string): Promise<void> {
  const source = join(app, 'src/index.js');
  const text = await readFile(source, 'utf8');
  if (!/Hello, [^!]*!/.test(text)) throw new Error(`the template no longer says ${GREETING}: update the bench`);
  await writeFile(source, text.replace(/Hello, [^!]*!/, greeting));
}

/** Polls until the app answers with `greeting` (the watcher settles, rebuilds and restarts first). */
async function untilBody(url: string, greeting: string): Promise<void> {
  const deadline = Date.now() + 600_000;
  for (;;) {
    const body = await fetch(url).then((r) => r.text(), () => '');
    if (body.startsWith(greeting)) return;
    if (Date.now() > deadline) throw new Error(`no response with ${greeting} within 10 minutes`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
