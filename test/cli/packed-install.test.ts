/**
 * `twirl` as a stranger installs it: `npm pack` in the repository, the tarball installed into an
 * empty folder with the machine's own Node (not the pinned one), then `npx twirl new`, `build`,
 * `up` from that folder. Nothing here runs the repository's TypeScript: only what the package ships.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { delimiter, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tempDir } from './run-twirl.ts';

const repo = resolve(import.meta.dirname, '../..');

/** The shell a user has: no `node_modules/.bin` of this repository (which pins Node 24), no npm_* variables. */
const userEnv: NodeJS.ProcessEnv = {
  ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('npm_'))),
  PATH: (process.env.PATH ?? '').split(delimiter).filter((p) => !p.includes('node_modules')).join(delimiter),
};

interface Run {
  code: number | null;
  output: string;
}

function run(command: string, args: string[], cwd: string): Promise<Run> {
  const child = spawn(command, args, { cwd, env: userEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = collect(child);
  return new Promise((done, fail) => {
    child.once('error', fail);
    child.once('exit', (code) => done({ code, output: output() }));
  });
}

function collect(child: ChildProcess): () => string {
  let text = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (text += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (text += s));
  return () => text;
}

describe('the packed twirl, installed outside the repository', { skip: !existsSync('/usr/bin/node') && 'no system Node' }, () => {
  let dir: string;
  let remove: () => Promise<void>;
  let project: string;
  let server: ChildProcess | undefined;

  before(async () => {
    ({ dir, remove } = await tempDir());
    project = join(dir, 'project');
  });
  after(async () => {
    // npx runs twirl as its child, and twirl runs workerd: stop the whole group, as Ctrl-C does.
    if (server?.pid && server.exitCode === null) {
      const exited = new Promise((done) => server!.once('exit', done));
      process.kill(-server.pid, 'SIGINT');
      await exited;
    }
    await remove();
  });

  it('runs on the machine\'s Node, not the pinned one', async () => {
    const r = await run('node', ['--version'], dir);
    assert.equal(r.code, 0, r.output);
    assert.match(r.output, /^v\d+\./);
    console.log(`# user's Node: ${r.output.trim()}`);
  });

  it('npm pack gives a tarball that installs into an empty folder', async () => {
    const packed = await run('npm', ['pack', '--pack-destination', dir, repo], dir);
    assert.equal(packed.code, 0, packed.output);
    const tarball = (await readdir(dir)).find((f) => f.endsWith('.tgz'));
    assert.ok(tarball, `npm pack wrote no tarball:\n${packed.output}`);
    await mkdir(project);
    await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'project', private: true }));
    const installed = await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', join(dir, tarball)], project);
    assert.equal(installed.code, 0, installed.output);
  });

  it('npx twirl new, build and up answer from that folder', async () => {
    const created = await run('npx', ['twirl', 'new', 'http-js', 'hello'], project);
    assert.equal(created.code, 0, created.output);
    // The hint it prints must work when pasted: it names `npx twirl`, which is what this test runs.
    assert.match(created.output, /cd hello && npx twirl build && npx twirl up/);
    const app = join(project, 'hello');
    const built = await run('npx', ['twirl', 'build'], app);
    assert.equal(built.code, 0, built.output);
    assert.match(built.output, /Finished building all Spin components/);

    server = spawn('npx', ['twirl', 'up', '--listen', '127.0.0.1:0'], { cwd: app, env: userEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const output = collect(server);
    const deadline = Date.now() + 300_000;
    while (!/Available Routes:/.test(output())) {
      assert.equal(server.exitCode, null, `twirl up exited:\n${output()}`);
      assert.ok(Date.now() < deadline, `twirl up printed no routes:\n${output()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const url = /Serving (\S+)/.exec(output())![1]!;
    const response = await fetch(url);
    assert.equal(response.status, 200);
    assert.match(await response.text(), /^Hello, Fermyon!/);
  });
});
