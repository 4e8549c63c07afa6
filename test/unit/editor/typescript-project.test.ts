/** The editor's TypeScript program over an app's files: templates check clean, errors and completions are TypeScript's. */
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { TypeScriptProject } from '../../../web/editor/typescript-project.ts';
import { editorEnvironmentFiles } from '../../../web/editor/environment-files.ts';

const root = resolve(import.meta.dirname, '../../..');

/** The declaration files the worker bundles, read from disk. */
async function environment(): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const [path, onDisk] of editorEnvironmentFiles(await listed('node_modules/typescript/lib'), await listed('node_modules/hono'), await listed('web/editor/types'))) {
    files.set(path, await readFile(join(root, onDisk), 'utf8'));
  }
  return files;
}

async function listed(dir: string): Promise<string[]> {
  const entries = await readdir(join(root, dir), { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(root, join(e.parentPath, e.name)).split('\\').join('/'));
}

async function templateFiles(name: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const path of await listed(`templates/${name}`)) {
    if (/node_modules|\/dist\//.test(path) || !/\.(js|ts|toml|json)$/.test(path)) continue;
    files[path.slice(`templates/${name}/`.length)] = await readFile(join(root, path), 'utf8');
  }
  return files;
}

const project = environment().then((env) => new TypeScriptProject(ts, env));

test('every template’s sources check without an error', async () => {
  const checker = await project;
  for (const name of await readdir(join(root, 'templates'))) {
    if (name.includes('.')) continue;
    const files = await templateFiles(name);
    checker.setFiles(files);
    for (const path of Object.keys(files).filter((p) => p.startsWith('src/'))) {
      const found = checker.diagnostics(path).map((d) => `${name}/${path}@${d.from}: ${d.message}`);
      assert.deepEqual(found, [], `${name}/${path} checks clean`);
    }
  }
});

test('a type error in TypeScript is reported at its place', async () => {
  const checker = await project;
  const text = "addEventListener('fetch', (event) => event.respondWith(new Response('hi')));\nconst count: number = 'three';\n";
  checker.setFiles({ 'src/index.ts': text });
  const [found, ...rest] = checker.diagnostics('src/index.ts');
  assert.equal(rest.length, 0);
  assert.equal(found?.severity, 'error');
  assert.match(found?.message ?? '', /Type 'string' is not assignable to type 'number'/);
  assert.equal(text.slice(found!.from, found!.to), 'count');
});

test('a misspelt Spin import and a wrong argument are errors in JavaScript too', async () => {
  const checker = await project;
  checker.setFiles({ 'src/index.js': "import { Store } from 'fermyon:spin/key-value@2.0.0';\nconst s = Store.open(7);\ns.gett('n');\n" });
  const messages = checker.diagnostics('src/index.js').map((d) => d.message);
  assert.equal(messages.length, 2, messages.join('\n'));
  assert.match(messages[0]!, /'number' is not assignable to parameter of type 'string'/);
  assert.match(messages[1]!, /Property 'gett' does not exist on type 'Store'/);
});

test('after `request.` the completions include the Request’s members', async () => {
  const checker = await project;
  const text = "addEventListener('fetch', (event) => {\n  const request = event.request;\n  request.\n});\n";
  checker.setFiles({ 'src/index.js': text });
  const at = text.indexOf('request.\n') + 'request.'.length;
  const list = checker.completions('src/index.js', at);
  const labels = list?.options.map((o) => o.label) ?? [];
  for (const member of ['headers', 'method', 'url', 'json']) assert.ok(labels.includes(member), `${member} among ${labels.slice(0, 20).join(', ')}`);
  assert.equal(list?.from, at);
});

test('hono’s types come with the editor: a handler’s context completes and checks', async () => {
  const checker = await project;
  const files = await templateFiles('http-hono');
  const text = `${files['src/index.js']}\nconst extra = new Hono();\nextra.get('/x', (c) => c.jsn({}));\n`;
  checker.setFiles({ ...files, 'src/index.js': text });
  const messages = checker.diagnostics('src/index.js').map((d) => d.message);
  assert.equal(messages.length, 1, messages.join('\n'));
  assert.match(messages[0]!, /Property 'jsn' does not exist .*Did you mean 'json'/s);
});

test('format document re-indents with TypeScript’s formatter', async () => {
  const checker = await project;
  const text = "function handle(request){\nreturn new Response( 'hi' ,{status:200})\n}\n";
  checker.setFiles({ 'src/index.js': text });
  let formatted = text;
  for (const edit of checker.format('src/index.js').sort((a, b) => b.from - a.from)) formatted = formatted.slice(0, edit.from) + edit.insert + formatted.slice(edit.to);
  assert.equal(formatted, "function handle(request) {\n  return new Response('hi', { status: 200 })\n}\n");
});
