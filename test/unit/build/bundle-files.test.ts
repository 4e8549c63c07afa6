import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as esbuild from 'esbuild';
import vm from 'node:vm';
import { bundleFiles } from '../../../shared/build/bundle-files.ts';
import type { NpmPackages } from '../../../shared/build/npm-package.ts';
import { SourceError } from '../../../shared/build/source-error.ts';
import { packNpmPackage } from '../../../web/build-npm-packages.ts';

const honoPackages: NpmPackages = {
  load: async (name) => (name === 'hono' ? packNpmPackage('hono') : undefined),
  available: async () => ['hono'],
};

test('TypeScript across files bundles into one module; host interfaces stay imports', async () => {
  const files = new Map([
    ['src/index.ts', "import { greeting } from './greet';\nimport { Store } from 'fermyon:spin/key-value@2.0.0';\naddEventListener('fetch', (e: any) => e.respondWith(new Response(greeting(Store.name))));\n"],
    ['src/greet.ts', 'export const greeting = (who: string): string => `hi ${who}`;\n'],
  ]);
  const bundle = await bundleFiles(esbuild, { files, entry: 'src/index.ts' });
  assert.match(bundle.code, /hi \$\{who\}/);
  assert.match(bundle.code, /from "fermyon:spin\/key-value@2\.0\.0"/);
  assert.deepEqual(bundle.hostImports, ['fermyon:spin/key-value@2.0.0']);
  assert.deepEqual([...bundle.sourceMap.sources].sort(), ['src/greet.ts', 'src/index.ts']);
});

test('a syntax error is reported at its file, line and column', async () => {
  const files = new Map([['src/index.js', "const ok = 1;\nconst broken = ;\n"]]);
  await assert.rejects(bundleFiles(esbuild, { files, entry: 'src/index.js' }), (err: unknown) => {
    assert.ok(err instanceof SourceError);
    assert.equal(err.diagnostics.length, 1);
    assert.deepEqual({ ...err.diagnostics[0], message: undefined }, { code: 'bundle-failed', message: undefined, file: 'src/index.js', line: 2, column: 16, lineText: 'const broken = ;', severity: 'error' });
    return true;
  });
});

test('hono resolves from its packed files; an unknown package says what is there', async () => {
  const files = new Map([['src/index.js', "import { Hono } from 'hono';\nimport { cors } from 'hono/cors';\nconst app = new Hono();\napp.use(cors());\napp.get('/', (c) => c.text('ok'));\naddEventListener('fetch', (e) => e.respondWith(app.fetch(e.request)));\n"]]);
  const bundle = await bundleFiles(esbuild, { files, entry: 'src/index.js', packages: honoPackages });
  assert.match(bundle.code, /class Hono/);
  assert.deepEqual(bundle.hostImports, []);
  const missing = new Map([['src/index.js', "import left from 'left-pad';\nconsole.log(left);\n"]]);
  await assert.rejects(bundleFiles(esbuild, { files: missing, entry: 'src/index.js', packages: honoPackages }), (err: unknown) => {
    assert.ok(err instanceof SourceError);
    assert.match(err.diagnostics[0]!.message, /Could not resolve "left-pad": the browser build has hono/);
    assert.equal(err.diagnostics[0]!.line, 1);
    return true;
  });
});

test('an async fetch listener’s rejection is logged with its stack, at the app’s lines; the listener is otherwise as written', async () => {
  const files = new Map([['src/index.js', "async function answer(event) {\n  await null;\n  throw new TypeError('no answer for ' + event.path);\n}\naddEventListener('fetch', answer);\naddEventListener('other', answer);\n"]]);
  const bundle = await bundleFiles(esbuild, { files, entry: 'src/index.js' });
  // The engine's globals, as far as the bundle uses them.
  const listeners = new Map<string, Array<(event: unknown) => unknown>>();
  const errors: string[] = [];
  const context = vm.createContext({
    addEventListener: (type: string, listener: (event: unknown) => unknown) => listeners.set(type, [...(listeners.get(type) ?? []), listener]),
    removeEventListener: (type: string, listener: unknown) => listeners.set(type, (listeners.get(type) ?? []).filter((l) => l !== listener)),
    console: { error: (line: string) => errors.push(line) },
  });
  context.globalThis = context;
  new vm.Script(`${bundle.code}\nglobalThis.answer = answer;`, { filename: 'bundle.js' }).runInContext(context);
  assert.equal(listeners.get('other')?.[0], context.answer, 'other events get the listener itself');
  const result = listeners.get('fetch')![0]!({ path: '/x' });
  assert.equal(typeof (result as Promise<unknown> | undefined)?.then, 'function', 'the listener’s result is passed on');
  await assert.rejects(result as Promise<unknown>);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(errors.length, 1);
  const [message, stackTitle] = errors[0]!.split('\n');
  assert.equal(message, 'Error in the async fetch listener: no answer for /x');
  assert.equal(stackTitle, 'Stack:');
  // V8's frames here (`at answer (bundle.js:3:9)`); the engine's read `answer@bundle.js:3:9`.
  const at = /answer \(bundle\.js:(\d+):(\d+)\)/.exec(errors[0]!);
  assert.ok(at, `the throwing frame in: ${errors[0]}`);
  assert.deepEqual(bundle.sourceMap.originalPosition(Number(at[1]), Number(at[2])), { source: 'src/index.js', line: 3, column: 9 });
  context.removeEventListener('fetch', context.answer);
  assert.equal(listeners.get('fetch')?.length, 0, 'removing the listener removes what was added for it');
});

test('respondWith after an async listener’s await throws the engine’s error with a stack at the call; a listener that returned no Promise keeps the engine’s respondWith', async () => {
  const files = new Map([['src/index.js', "addEventListener('fetch', async (event) => {\n  await null;\n  event.respondWith('late');\n});\n"]]);
  const bundle = await bundleFiles(esbuild, { files, entry: 'src/index.js' });
  const listeners: Array<(event: unknown) => unknown> = [];
  const errors: string[] = [];
  const context = vm.createContext({ addEventListener: (_type: string, listener: (event: unknown) => unknown) => listeners.push(listener), removeEventListener: () => {}, console: { error: (line: string) => errors.push(line) } });
  context.globalThis = context;
  new vm.Script(bundle.code, { filename: 'bundle.js' }).runInContext(context);
  // The engine's own error here has no stack (and is of the bundle's realm, as the engine's is).
  const EngineError = vm.runInContext('Error', context) as ErrorConstructor;
  const respondWith = function respondWith(): void {
    throw Object.assign(new EngineError('FetchEvent#respondWith must be called synchronously from within a FetchEvent handler'), { stack: '' });
  };
  const event = { respondWith };
  await assert.rejects(listeners[0]!(event) as Promise<unknown>, /must be called synchronously/);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(errors.length, 1);
  // V8's frames here (`at … (bundle.js:51:9)`, the wrapper's among them: the engine's format is the one its filter knows).
  const frames = [...(errors[0]!.split('Stack:')[1] ?? '').matchAll(/\(bundle\.js:(\d+):(\d+)\)/g)].map(([, line, column]) => bundle.sourceMap.originalPosition(Number(line), Number(column)));
  assert.ok(frames.some((p) => p?.source === 'src/index.js' && p.line === 3), `the line that called respondWith among: ${errors[0]}`);
  const plain = { respondWith };
  new vm.Script("addEventListener('fetch', (event) => {});", { filename: 'other.js' }).runInContext(context);
  listeners[1]!(plain);
  assert.equal(plain.respondWith, respondWith, 'the event of a listener that returned no Promise is untouched');
});
