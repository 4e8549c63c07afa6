/**
 * Where a JS component fails, in the user's own files: an exception at the top level fails
 * `twirl build` at its line in the file that threw, and one thrown while serving a request is
 * logged by `twirl up` at that line too, never at a position in the bundle the user never saw.
 * What the top level prints shows at build time, when it runs, as `spin build` shows it; what an
 * async fetch listener throws, and a request never answered, are logged too.
 */
import assert from 'node:assert/strict';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tempDir, twirl, twirlServing, type Serving } from './run-twirl.ts';

// Two files, so that a line of the bundle is not the line of the source it came from.
const GREET = `// Greetings, looked up by language.
const greetings = { en: 'Hello' };
console.log(\`greetings in \${Object.keys(greetings).join(', ')}\`);

export function greet(lang, name) {
  return \`\${greetings[lang].trim()}, \${name}!\`;
}

export const atStart = greet(START_LANG, 'start');
`;
const INDEX = `import { greet } from './greet.js';

addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (url.pathname === '/late') return void answerLate(event);
  if (url.pathname === '/async') return answerAfterLookUp(event);
  if (url.pathname === '/late-awaited') return answerLateAwaited(event);
  if (url.pathname === '/rejected') return event.respondWith(greetingFor('de'));
  const lang = url.searchParams.get('lang') ?? 'en';
  event.respondWith(new Response(greet(lang, 'you') + '\\n'));
});

// A common first mistake: respondWith after an await, when the event is over.
async function answerLate(event) {
  await null;
  event.respondWith(new Response('too late\\n'));
}

// The same mistake in a listener that returns its Promise: the engine's error, at this call.
async function answerLateAwaited(event) {
  await null;
  event.respondWith(new Response('too late, awaited\\n'));
}

async function greetingFor(lang) {
  return new Response(greet(lang, 'you'));
}

// An async listener: what it throws after an await, the engine never sees.
async function answerAfterLookUp(event) {
  await null;
  event.respondWith(new Response(greet('de', 'you')));
}
`;
/** Where `answerLateAwaited` calls respondWith, after its await: line and column in index.js. */
const LATE_CALL_AT = (() => {
  const lines = INDEX.split('\n');
  const line = lines.findIndex((l) => l.includes("'too late, awaited"));
  return `src/index.js:${line + 1}:${lines[line]!.indexOf('respondWith') + 1}`;
})();
/** Where `greetings[lang].trim()` is in greet.js: the engine points at the property access. */
const THROWS_AT = 'src/greet.js:6:13';

describe('errors at their source line', () => {
  let dir: string;
  let remove: () => Promise<void>;
  let app: string;
  let serving: Serving | undefined;
  before(async () => {
    ({ dir, remove } = await tempDir());
    app = join(dir, 'greeter');
    const created = await twirl(['new', 'http-js', 'greeter', '--accept-defaults'], dir);
    assert.equal(created.code, 0, created.stderr);
    await writeFile(join(app, 'src/index.js'), INDEX);
  });
  after(async () => {
    await serving?.stop();
    await remove();
  });

  it('an exception at the top level fails the build at its line in the file that threw', async () => {
    await writeFile(join(app, 'src/greet.js'), GREET.replace('START_LANG', "'fr'"));
    const r = await twirl(['build'], app);
    assert.notEqual(r.code, 0);
    const output = r.stdout + r.stderr;
    assert.match(output, new RegExp(`${THROWS_AT} TypeError: can't access property "trim"`));
    assert.match(output, /greet@src\/greet\.js:6:13\n\s*@src\/greet\.js:9:\d+/, 'the stack is mapped too');
    assert.doesNotMatch(output, /bundle\.js:\d/);
    assert.match(r.stdout, /^greetings in en$/m, 'what it printed before it threw is shown');
  });

  it('a request that throws is logged at its line, in the terminal and in .twirl/logs', async () => {
    await writeFile(join(app, 'src/greet.js'), GREET.replace('START_LANG', "'en'"));
    const built = await twirl(['build'], app);
    assert.equal(built.code, 0, built.stderr);
    assert.match(built.stdout, /^greetings in en$/m, 'a console.log at the top level shows at build time');
    assert.ok((await stat(join(app, 'dist/hello.wasm.map'))).size > 0, 'the map is kept beside the component');
    serving = await twirlServing(['up', '--listen', '127.0.0.1:0'], app, 300_000);
    assert.equal(await (await fetch(`${serving.url}/`)).text(), 'Hello, you!\n');
    assert.equal((await fetch(`${serving.url}/?lang=fr`)).status, 500);
    await serving.waitFor(`${THROWS_AT} TypeError`, 60_000);
    assert.doesNotMatch(serving.output(), /bundle\.js:\d/);
    assert.match(await readFile(join(app, '.twirl/logs/hello_stderr.txt'), 'utf8'), new RegExp(`^${THROWS_AT} TypeError`, 'm'));
  });

  it('a request the listener answers too late (after an await) is logged with how to answer it', async () => {
    assert.ok(serving, 'twirl up from the test before');
    const late = await fetch(`${serving.url}/late`);
    assert.equal(late.status, 500);
    assert.match(await late.text(), /no fetch-event handler triggered/, 'the response is the engine’s, as under Spin');
    await serving.waitFor('the request ended without event.respondWith()', 60_000);
    assert.match(serving.output(), /must call it before it returns: at once, with a Promise when the response comes later \(after an await is too late\)/);
    const hints = serving.output().match(/the request ended without event\.respondWith\(\)/g) ?? [];
    assert.equal(hints.length, 1, 'not for the request that threw and said so itself');
  });

  it('an async listener that throws after an await is logged at its line, as a rejected respondWith() Promise is', async () => {
    assert.ok(serving, 'twirl up from the test before');
    const failed = await fetch(`${serving.url}/async`);
    assert.equal(failed.status, 500);
    assert.match(await failed.text(), /no fetch-event handler triggered/, 'the response stays the engine’s');
    await serving.waitFor(`Error in the async fetch listener: can't access property "trim"`, 60_000);
    assert.match(serving.output(), /Error in the async fetch listener: [^\n]+\nStack:\n {2}greet@src\/greet\.js:6:13\n {2}answerAfterLookUp@src\/index\.js:\d+:\d+/);
    assert.doesNotMatch(serving.output(), /__twirlReportedFetchListener|bundle\.js:\d/, 'no frame of the wrapper, no position in the bundle');
    const hints = serving.output().match(/the request ended without event\.respondWith\(\)/g) ?? [];
    assert.equal(hints.length, 1, 'the exception says why: no hint besides');
  });

  it('respondWith after an await, in a listener that returns its Promise, is logged at the line that called it', async () => {
    assert.ok(serving, 'twirl up from the test before');
    const before = serving.output().length;
    assert.equal((await fetch(`${serving.url}/late-awaited`)).status, 500);
    await serving.waitFor(new RegExp(`must be called synchronously[^\\n]*\\(call it before the first await[^\\n]*\\nStack:\\n {2}answerLateAwaited@${LATE_CALL_AT}\\n`), 60_000);
    assert.doesNotMatch(serving.output().slice(before), /__twirlReportedFetchListener|bundle\.js:\d/, 'no frame of the wrapper, no position in the bundle');
  });

  it('a stack through the fetch listener names no frame of the code Twirl puts before the bundle', async () => {
    assert.ok(serving, 'twirl up from the test before');
    const before = serving.output().length;
    assert.equal((await fetch(`${serving.url}/rejected`)).status, 500);
    await serving.waitFor(/Error while running request handler: can't access property "trim"[^]*greetingFor@src\/index\.js:\d+:\d+\n[^\n]*@src\/index\.js:\d+:\d+\n/, 60_000);
    assert.doesNotMatch(serving.output().slice(before), /__twirlReportedFetchListener|bundle\.js:\d/);
  });
});
