/**
 * The edit loop of the `http-js` template through the real CLI, as a user runs it: `twirl build`
 * after an edit, and `twirl watch` from a save to the new response. Once with the build made on
 * the world's kept engine (snapshot only), once with `--preinit native`, which builds in full as
 * every build did before (splice, wizer, stub WASI, wrap the component). The full path still
 * loads its result through the prepared shell, so its ratio is, if anything, in its favour.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir, twirl, twirlServing } from '../test/cli/run-twirl.ts';
import { round } from './measure.ts';

interface Row {
  step: string;
  path: string;
  'total (ms)': number;
  "vs today's path"?: number;
}

const GREETING = 'Hello, Fermyon!';

export async function benchEditLoop(): Promise<Row[]> {
  const { dir, remove } = await tempDir();
  const rows: Row[] = [];
  try {
    for (const [path, flag] of [
      ['snapshot on the kept engine', ''],
      ["today's path: full build", ' --preinit native'],
    ] as const) {
      const name = flag ? 'full' : 'snapshot';
      const app = join(dir, name);
      await check(twirl(['new', 'http-js', name, '--accept-defaults'], dir));
      const manifest = join(app, 'spin.toml');
      await writeFile(manifest, (await readFile(manifest, 'utf8')).replace(/(command = "twirl componentize [^"]*)"/, `$1${flag}"`));
      // The first build keeps the world's engine (when no earlier build has): not part of an edit.
      await check(twirl(['build'], app));

      await edit(app, 'Hello, build!');
      let started = performance.now();
      await check(twirl(['build'], app));
      rows.push({ step: 'twirl build after an edit', path, 'total (ms)': round(performance.now() - started, 0) });

      const serving = await twirlServing(['watch', '--listen', '127.0.0.1:0'], app, 600_000);
      try {
        await edit(app, 'Hello, watch!');
        started = performance.now();
        await untilBody(serving.url, 'Hello, watch!');
        rows.push({ step: 'twirl watch: save → new response', path, 'total (ms)': round(performance.now() - started, 0) });
      } finally {
        await serving.stop();
      }
    }
  } finally {
    await remove();
  }
  for (const row of rows) {
    const baseline = rows.find((r) => r.step === row.step && r.path !== row.path && r.path.startsWith('today'));
    if (baseline) row["vs today's path"] = round(row['total (ms)'] / baseline['total (ms)'], 2);
  }
  return rows;
}

async function check(run: Promise<{ code: number | null; stderr: string }>): Promise<void> {
  const { code, stderr } = await run;
  if (code !== 0) throw new Error(`twirl failed (${code}): ${stderr}`);
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
