/**
 * Spin's developer loop, driven as a user would in a temporary folder: `new` → `build` → `up` →
 * requests → Ctrl-C; `add` → `build` → `up` twice keeps key-value data; `watch` rebuilds on edit.
 * One app goes through every step, because each component build takes seconds.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { readFile, readdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { tempDir, twirl, twirlServing, type Serving } from './run-twirl.ts';

describe('twirl new, build, up, add, watch', () => {
  let dir: string;
  let remove: () => Promise<void>;
  let app: string;
  const servers: Serving[] = [];
  before(async () => {
    ({ dir, remove } = await tempDir());
    app = join(dir, 'hello');
  });
  after(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await remove();
  });

  async function up(...args: string[]): Promise<Serving> {
    // Deadlines, not waits: workerd starts in seconds, but minutes on a machine busy with other builds.
    const serving = await twirlServing(['up', '--listen', '127.0.0.1:0', ...args], app, 300_000);
    servers.push(serving);
    return serving;
  }
  async function stop(serving: Serving): Promise<number | null> {
    servers.splice(servers.indexOf(serving), 1);
    return serving.stop();
  }
  const text = async (url: string): Promise<string> => (await fetch(url)).text();

  it('new copies the template into ./<name> under the new name (Spin\'s `-t <template> <name>`)', async () => {
    const r = await twirl(['new', '-t', 'http-js', 'hello', '--accept-defaults'], dir);
    assert.equal(r.code, 0, r.stderr);
    const manifest = await readFile(join(app, 'spin.toml'), 'utf8');
    assert.match(manifest, /^\[application\]\nname = "hello"$/m);
    assert.ok(await stat(join(app, 'src/index.js')));
  });

  it('build runs each build command and says which component it builds', async () => {
    const started = performance.now();
    const r = await twirl(['build'], app);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Building component hello with `twirl componentize src\/index.js -o dist\/hello.wasm`$/m);
    assert.match(r.stdout, /^Finished building all Spin components/m);
    assert.ok((await stat(join(app, 'dist/hello.wasm'))).size > 0);
    console.log(`# build: ${Math.round(performance.now() - started)} ms`);
  });

  it('up prints the routes like Spin, serves requests and stops on Ctrl-C', async () => {
    const started = performance.now();
    const serving = await up();
    const body = await text(`${serving.url}/some/path`);
    console.log(`# up to first response: ${Math.round(performance.now() - started)} ms`);
    assert.match(serving.output(), new RegExp(`^Logging component stdio to "\\.twirl/logs/"\n\nServing ${serving.url}\nAvailable Routes:\n  hello: ${serving.url} \\(wildcard\\)$`, 'm'));
    assert.doesNotMatch(serving.output(), /Storing key-value data/, 'the hello app has no key-value store');
    assert.match(body, /^Hello, Fermyon!\nmethod: GET\npath: \/some\/path\n$/);
    assert.equal((await fetch(`${serving.url}/.well-known/spin/health`)).status, 200);
    assert.equal(await stop(serving), 0);
    assert.ok((await stat(join(app, '.twirl/logs'))).isDirectory());
  });

  it('add appends a component under /<name> without touching the rest of spin.toml', async () => {
    const before = await readFile(join(app, 'spin.toml'), 'utf8');
    const r = await twirl(['add', '--template', 'kv-counter', 'counter'], app);
    assert.equal(r.code, 0, r.stderr);
    const after = await readFile(join(app, 'spin.toml'), 'utf8');
    assert.ok(after.startsWith(before), 'the existing manifest text is kept byte for byte');
    const added = after.slice(before.length);
    assert.match(added, /\[\[trigger.http\]\]\nroute = "\/counter\/\.\.\."\ncomponent = "counter"/);
    assert.match(added, /source = "counter\/dist\/counter.wasm"/);
    assert.match(added, /workdir = "counter"/);
    assert.deepEqual((await readdir(join(app, 'counter/src'))).sort(), ['index.js']);
  });

  it('build --up after add builds both components, then serves both (Spin\'s `spin build --up`)', async () => {
    const serving = await twirlServing(['build', '--up', '--', '--listen', '127.0.0.1:0'], app, 300_000);
    servers.push(serving);
    const printed = serving.output();
    assert.match(printed, /Building component hello with/);
    assert.match(printed, /Building component counter with/);
    assert.ok(printed.indexOf('Finished building all Spin components') < printed.indexOf('Available Routes:'));
    assert.ok(await stat(join(app, 'counter/dist/counter.wasm')));
    assert.match(serving.output(), new RegExp(`^  counter: ${serving.url}/counter \\(wildcard\\)$`, 'm'));
    assert.match(await text(`${serving.url}/`), /^Hello, Fermyon!\n/);
    assert.equal(await stop(serving), 0);
  });

  it('up twice keeps the key-value count in .twirl', async () => {
    let serving = await up();
    assert.match(serving.output(), new RegExp(`^  counter: ${serving.url}/counter \\(wildcard\\)$`, 'm'));
    assert.match(serving.output(), /^Logging component stdio to "\.twirl\/logs\/"\nStoring key-value data to "\.twirl\/key-value\/"\n\nServing /m);
    assert.equal(await text(`${serving.url}/counter`), '1\n');
    assert.equal(await text(`${serving.url}/counter`), '2\n');
    assert.equal(await stop(serving), 0);
    serving = await up();
    assert.equal(await text(`${serving.url}/counter`), '3\n');
    assert.equal(await stop(serving), 0);
    assert.ok((await stat(join(app, '.twirl/key-value'))).isDirectory(), 'the data is where up said');
  });

  it('up --find-free-port serves on the next free port when its own is taken, as Spin does', async () => {
    // Held from the start: a port picked, freed and then taken again could be taken by anyone between.
    const held = createServer();
    await new Promise<void>((done) => held.listen(0, '127.0.0.1', done));
    const { port } = held.address() as AddressInfo;
    try {
      const serving = await up('--listen', `127.0.0.1:${port}`, '--find-free-port');
      const found = Number(new URL(serving.url).port);
      assert.ok(found > port && found <= port + 9, `served on ${found}, from ${port}`);
      assert.match(await text(`${serving.url}/`), /^Hello, Fermyon!\n/);
      assert.equal(await stop(serving), 0);
    } finally {
      held.close();
    }
  });

  it('up --key-value seeds the default store', async () => {
    const serving = await up('--key-value', 'n=41');
    assert.equal(await text(`${serving.url}/counter`), '42\n');
    assert.equal(await stop(serving), 0);
  });

  it('watch rebuilds only the edited component, restarts, and component logs reach the terminal and .twirl/logs', async () => {
    const serving = await twirlServing(['watch', '--listen', '127.0.0.1:0'], app, 300_000);
    servers.push(serving);
    assert.match(serving.output(), /^Up to date, not rebuilt: hello, counter$/m, 'what is built is not built again at start');
    assert.doesNotMatch(serving.output(), /Building component/);
    const source = join(app, 'src/index.js');
    const edited = (await readFile(source, 'utf8'))
      .replace('Hello, Fermyon!', 'Hello, watch!')
      .replace('return new Response(', 'console.log(`served ${url.pathname}`);\n  return new Response(');
    assert.match(edited, /console\.log\(`served/, 'the template still has the lines this test edits');
    await writeFile(source, edited);
    await waitForRebuilds(serving, 1);
    const log = serving.output().slice(serving.output().indexOf('Change detected'));
    assert.match(log, /Building component hello with/);
    assert.doesNotMatch(log, /Building component counter/);
    assert.match(await text(`${latestUrl(serving)}/logged`), /^Hello, watch!/);
    await serving.waitFor('served /logged', 60_000);
    assert.match(await readFile(join(app, '.twirl/logs/hello_stdout.txt'), 'utf8'), /^served \/logged$/m);

    // Editors that save by writing a new file and renaming it over the old one; then `sed -i`, which does the same.
    const temp = join(app, 'src/.index.js.swp');
    await writeFile(temp, (await readFile(source, 'utf8')).replace('Hello, watch!', 'Hello, rename!'));
    await rename(temp, source);
    await waitForRebuilds(serving, 2);
    assert.match(await text(`${latestUrl(serving)}/`), /^Hello, rename!/);
    await promisify(execFile)('sed', ['-i', 's/Hello, rename!/Hello, sed!/', source]);
    await waitForRebuilds(serving, 3);
    assert.match(await text(`${latestUrl(serving)}/`), /^Hello, sed!/);

    // A burst of saves is one rebuild; a new file and a deleted one each rebuild what watches them.
    const burst = rebuilds(serving) + 1;
    // Written back to back, as an editor saving in a burst does (awaited one by one, on a loaded machine they were once taken for three bursts).
    for (let i = 0; i < 5; i++) writeFileSync(join(app, 'src/extra.js'), `export const n = ${i};\n`);
    await waitForRebuilds(serving, burst);
    assert.equal(serving.output().match(/Change detected/g)?.length, burst, 'five writes in a row make one rebuild');
    await unlink(join(app, 'src/extra.js'));
    await waitForRebuilds(serving, burst + 1);
    assert.equal(await stop(serving), 0);
  });
});

/** How many rebuild-and-restart cycles `twirl watch` has finished. */
const rebuilds = (serving: Serving): number => serving.output().match(/Change detected[^]*?Available Routes:/g)?.length ?? 0;

async function waitForRebuilds(serving: Serving, count: number): Promise<void> {
  // A rebuild is a real componentize: seconds when the machine is idle, minutes when it is not.
  await serving.waitFor(new RegExp(`(?:Change detected[^]*?Available Routes:[^]*?){${count}}`), 600_000);
}

/** Each restart listens anew (on a port of its own with --listen :0): the last address printed. */
const latestUrl = (serving: Serving): string => [...serving.output().matchAll(/Serving (\S+)/g)].at(-1)![1]!;
