/** Every mistake a user can make with the CLI is one line saying what to do, and a non-zero exit. */
import assert from 'node:assert/strict';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tempDir, twirl } from './run-twirl.ts';

/** The last line printed to stderr. */
const lastLine = (text: string): string => text.trimEnd().split('\n').at(-1) ?? '';

const manifest = (build: string): string => `spin_manifest_version = 2
[application]
name = "broken"
[[trigger.http]]
route = "/..."
component = "app"
[component.app]
source = "app.wasm"
[component.app.build]
command = "${build}"
`;

describe('twirl errors', () => {
  let dir: string;
  let remove: () => Promise<void>;
  before(async () => ({ dir, remove } = await tempDir()));
  after(() => remove());

  /** An app folder named `name` with the one-component manifest (its build `command`) and, if given, its `app.wasm`. */
  async function appWith(name: string, command: string, wasm?: string | Uint8Array): Promise<string> {
    const app = join(dir, name);
    await mkdir(app);
    await writeFile(join(app, 'spin.toml'), manifest(command));
    if (wasm !== undefined) await writeFile(join(app, 'app.wasm'), wasm);
    return app;
  }

  it('up without a spin.toml says to run twirl new or pass -f', async () => {
    const r = await twirl(['up'], dir);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim(), `Error: no spin.toml in ${dir}; run \`twirl new\` or pass -f`);
  });

  it('build without a spin.toml fails the same way', async () => {
    const r = await twirl(['build'], dir);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^Error: no spin.toml in .*; run `twirl new` or pass -f\n$/);
  });

  it('new with an unknown template lists the known ones', async () => {
    const r = await twirl(['new', 'http-cobol', 'x'], dir);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^Error: unknown template "http-cobol"; known templates: .*http-js.*\n$/);
  });

  it('new without a template lists the templates to choose from', async () => {
    const r = await twirl(['new'], dir);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^Error: missing <template>: one of (\S+, )*http-js, (\S+, )*kv-counter(, \S+)*\nusage: twirl new /);
  });

  it('new with -t takes the name alone, and says which argument is missing or extra', async () => {
    const missing = await twirl(['new', '-t', 'http-js'], dir);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr.trim(), 'Error: missing <name>\nusage: twirl new [-t] <template> <name> [--accept-defaults] [-o <dir>]');
    const extra = await twirl(['new', '-t', 'http-js', 'http-ts', 'x'], dir);
    assert.equal(extra.code, 1);
    assert.match(extra.stderr, /^Error: unexpected x\n/);
  });

  it('build with arguments of its own says where options for up go', async () => {
    const r = await twirl(['build', '--', '--listen', '127.0.0.1:0'], dir);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim(), 'Error: unexpected --listen; options for `twirl up` go after `--up --`');
  });

  it('new into an existing folder refuses to overwrite it', async () => {
    await mkdir(join(dir, 'taken'));
    const r = await twirl(['new', 'http-js', 'taken'], dir);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim(), 'Error: taken already exists; pick another name or remove it');
  });

  it('a failing build command shows its output, then which component failed and its exit code', async () => {
    const app = await appWith('failing', 'echo compiling; echo bad syntax >&2; exit 3');
    const r = await twirl(['build'], app);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /Building component app with `echo compiling; echo bad syntax >&2; exit 3`\ncompiling\n/);
    assert.match(r.stderr, /bad syntax/);
    assert.equal(lastLine(r.stderr), 'Error: build command for component app failed (exit 3)');
    assert.doesNotMatch(r.stdout, /Finished building/);
  });

  it('a package the code imports but is not installed says how to install it', async () => {
    const created = await twirl(['new', 'http-hono', 'uninstalled', '--accept-defaults'], dir);
    assert.equal(created.code, 0, created.stderr);
    const app = join(dir, 'uninstalled');
    const index = join(app, 'src/index.js');
    await writeFile(index, `import { z } from 'zod/v4';\n${await readFile(index, 'utf8')}`);
    const r = await twirl(['build'], app);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /src\/index\.js:1:19: error: Could not resolve "zod\/v4"\n.*\n\s+\(no package zod is installed: `npm install zod` adds it\)/);
    assert.match(r.stderr, /Could not resolve "hono"\n.*\n\s+\(hono is a dependency in package\.json but is not installed: run `npm install`\)/);
  });

  it('up before building says to run twirl build', async () => {
    const app = await appWith('unbuilt', 'true');
    const r = await twirl(['up', '-f', app], dir);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim(), 'Error: component app: app.wasm does not exist; run `twirl build` first');
  });

  it('a component that is not a WebAssembly component names it and its file, and a failed up leaves nothing in the way', async () => {
    const app = await appWith('not-wasm', 'true', 'console.log("hi")\n');
    const text = await twirl(['up', '-f', app], dir);
    assert.equal(text.code, 1);
    assert.equal(text.stderr.trim(), 'Error: component app (app.wasm): not a WebAssembly file: it begins "console.log(\\"hi\\""');
    // The second try reaches the component again: the first one's half-written bundle is Twirl's to clear.
    await writeFile(join(app, 'app.wasm'), new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
    const module = await twirl(['up', '-f', app], dir);
    assert.equal(module.code, 1);
    assert.match(module.stderr, /^Error: component app \(app\.wasm\): this is a WebAssembly core module, not a component; as a Spin 1\.x HTTP module it would export handle-http-request, /);
  });

  it('a component source that is empty or a folder says so', async () => {
    const app = await appWith('empty-source', 'true', '');
    const empty = await twirl(['up', '-f', app], dir);
    assert.equal(empty.stderr.trim(), 'Error: component app (app.wasm): the file is empty: did its build fail?');
    await rm(join(app, 'app.wasm'));
    await mkdir(join(app, 'app.wasm'));
    const folder = await twirl(['up', '-f', app], dir);
    assert.equal(folder.stderr.trim(), 'Error: component app: source app.wasm is a folder, not a .wasm file');
    const deploy = await twirl(['deploy', '--dry-run', '-f', app], dir);
    assert.match(deploy.stderr, /component app: app\.wasm is a folder, not a \.wasm file/);
  });

  it('up on a port in use says to pick another with --listen, or to search with --find-free-port', async () => {
    const app = await appWith('busy', 'true', '');
    // Held from the start: a port picked, freed and then taken again could be taken by anyone between.
    const server = createServer();
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const { port } = server.address() as AddressInfo;
    try {
      const r = await twirl(['up', '--listen', `127.0.0.1:${port}`], app);
      assert.equal(r.code, 1);
      assert.equal(r.stderr.trim(), `Error: 127.0.0.1:${port} is already in use; pick another with --listen, or add --find-free-port`);
    } finally {
      server.close();
    }
  });

  it('an invalid manifest prints its diagnostics, not a stack trace', async () => {
    const app = join(dir, 'invalid');
    await mkdir(app);
    await writeFile(join(app, 'spin.toml'), 'spin_manifest_version = 2\n[application]\nname = \n');
    const r = await twirl(['build'], app);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^spin.toml:3:\d+: error: not valid TOML/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });

  it('hints name `npx twirl` when npm ran it, as `npx twirl` in a folder without twirl on PATH needs', async () => {
    const viaNpx = await twirl(['frobnicate'], dir, { npm_command: 'exec' });
    assert.equal(viaNpx.stderr.trim(), 'Error: unknown command "frobnicate"; run `npx twirl --help` for the list');
    const created = await twirl(['new', 'http-js', 'hinted', '--accept-defaults'], dir, { npm_command: 'exec' });
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /^Next: cd hinted && npx twirl build && npx twirl up$/m);
  });

  it('an unknown command or option is one line pointing at --help', async () => {
    const command = await twirl(['frobnicate'], dir);
    assert.equal(command.code, 1);
    assert.equal(command.stderr.trim(), 'Error: unknown command "frobnicate"; run `twirl --help` for the list');
    const option = await twirl(['up', '--port', '3000'], dir);
    assert.equal(option.code, 1);
    assert.equal(option.stderr.trim(), 'Error: unknown option --port for `twirl up`; see `twirl up --help`');
  });

  it('--help lists the commands, and each command has its own --help', async () => {
    const all = await twirl(['--help'], dir);
    assert.equal(all.code, 0);
    for (const name of ['new', 'add', 'build', 'up', 'watch', 'deploy', 'templates']) assert.match(all.stdout, new RegExp(`^  ${name} `, 'm'));
    const up = await twirl(['up', '--help'], dir);
    assert.equal(up.code, 0);
    assert.match(up.stdout, /--listen <host:port>/);
  });

  it('templates list names each template with its description; `twirl templates` alone lists them too', async () => {
    const r = await twirl(['templates', 'list'], dir);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^http-js +A JavaScript HTTP component/m);
    assert.match(r.stdout, /^kv-counter +/m);
    const bare = await twirl(['templates'], dir);
    assert.equal(bare.code, 0);
    assert.equal(bare.stdout, r.stdout);
    const unknown = await twirl(['templates', 'install'], dir);
    assert.equal(unknown.code, 1);
    assert.equal(unknown.stderr.trim(), 'Error: unknown subcommand "install" of `twirl templates`; the one there is: list');
  });
});
