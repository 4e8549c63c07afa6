/**
 * The first response after `twirl up`, as a user meets it: from spawning the CLI until the app's
 * first 200. The http-js template (a JS component), started twice in one folder — the first time
 * bundles and prepares the app into `.twirl/`, the second reuses that — against an app of one
 * static route (same CLI and workerd, no component) as the baseline, also started twice.
 */
import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { builtTemplate } from '../node/templates/built-template.ts';
import { round } from './measure.ts';

const binJs = resolve(import.meta.dirname, '../cli/bin.js');

const STATIC_APP = `spin_manifest_version = 2

[application]
name = "static"

[[trigger.http]]
route = "/..."
static_response = { status_code = 200, body = "static" }
`;

export async function benchUpCold(): Promise<object[]> {
  const work = await mkdtemp(join(tmpdir(), 'twirl-bench-up-'));
  try {
    const hello = join(work, 'hello');
    const built = (await builtTemplate('http-js')).dir;
    await cp(built, hello, { recursive: true, filter: (path) => !relative(built, path).startsWith('.twirl') });
    const constant = join(work, 'static');
    await mkdir(constant);
    await writeFile(join(constant, 'spin.toml'), STATIC_APP);

    const rows: object[] = [];
    for (const start of ['first (prepares .twirl/)', 'again (.twirl/ kept)']) {
      const base = await firstResponse(constant);
      const app = await firstResponse(hello);
      rows.push({ path: 'twirl up, one static route (baseline)', start, 'serving printed (ms)': round(base.serving, 0), 'first 200 (ms)': round(base.answered, 0) });
      rows.push({ path: 'twirl up, http-js template', start, 'serving printed (ms)': round(app.serving, 0), 'first 200 (ms)': round(app.answered, 0), 'vs baseline': round(app.answered / base.answered, 2) });
    }
    // The same kept start with miniflare's config segment growing as shipped, by each allocation (node/workerd/capnp-growth.ts).
    const shipped = await firstResponse(hello, { TWIRL_MINIFLARE_AS_SHIPPED: '1' });
    const doubling = await firstResponse(hello);
    rows.push({ path: 'twirl up, http-js, miniflare config growing as shipped', start: 'again (.twirl/ kept)', 'serving printed (ms)': round(shipped.serving, 0), 'first 200 (ms)': round(shipped.answered, 0) });
    rows.push({ path: 'twirl up, http-js, config growing by doubling', start: 'again (.twirl/ kept)', 'serving printed (ms)': round(doubling.serving, 0), 'first 200 (ms)': round(doubling.answered, 0), 'vs as shipped': round(doubling.answered / shipped.answered, 2) });
    return rows;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Spawns `twirl up` in `dir` and polls its URL until it answers 200: milliseconds from the spawn to its banner and to that answer. */
async function firstResponse(dir: string, env: Record<string, string> = {}): Promise<{ serving: number; answered: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, [binJs, 'up', '--listen', '127.0.0.1:0'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (output += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (output += s));
  const exited = new Promise((done) => child.once('exit', done));
  try {
    const deadline = Date.now() + 600_000;
    let serving: number | undefined;
    for (;;) {
      const url = /Serving (\S+)/.exec(output)?.[1];
      if (url) {
        serving ??= performance.now() - started;
        const status = await fetch(url).then(async (r) => (await r.arrayBuffer(), r.status), () => 0);
        if (status === 200) return { serving, answered: performance.now() - started };
      }
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`twirl up in ${dir} did not answer 200:\n${output}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    child.kill('SIGINT');
    await exited;
  }
}

if (import.meta.main) console.table(await benchUpCold());
