import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateGlue } from '../../../shared/component/prepare.ts';
import { quietGlue } from '../../../shared/component/glue-rewrite.ts';
import { syncFirstHostCalls } from '../../../shared/component/glue-waits.ts';
import { directHostCalls } from '../../../shared/component/glue-host-calls.ts';
import { builtTemplate } from '../../../node/templates/built-template.ts';
import { templateEngine } from '../../support/template-engine.ts';

/** jco's glue for a template's component, with the rewrites that come before this one. */
async function jcoGlue(template: string, id: string, jspi: boolean): Promise<string> {
  const generated = await generateGlue((await builtTemplate(template)).components[id]!, id, jspi);
  const glue = quietGlue(new TextDecoder().decode(generated.files.find(([file]) => file.endsWith('.js'))![1]));
  return jspi ? syncFirstHostCalls(glue) : glue;
}

const trampolines = (glue: string): string[] => [...glue.matchAll(/const (_trampoline\d+) = /g)].map((m) => m[1]!);
const direct = (glue: string): string[] => [...glue.matchAll(/(_trampoline\d+)\.\$twirlDirect = true;/g)].map((m) => m[1]!);
/** The text of one trampoline, from its declaration to where jco names it. */
const bodyOf = (glue: string, name: string): string => glue.slice(glue.indexOf(`const ${name} = `), glue.indexOf(`${name}.fnName = `));

for (const jspi of [true, false]) {
  test(`every host call of a JS world's glue${jspi ? '' : ' without JSPI'} is made without a component-model task`, async () => {
    const glue = await jcoGlue('kv-counter', 'counter', jspi);
    const names = trampolines(glue);
    assert.ok(names.length > 50, `the glue has host trampolines (${names.length})`);
    const rewritten = directHostCalls(glue);
    assert.equal(direct(rewritten).length, jspi ? names.length : names.filter((n) => !bodyOf(glue, n).includes('async function')).length);
    for (const name of direct(rewritten)) {
      const live = bodyOf(rewritten, name).replace(/if \(false\) _debugLog\([\s\S]*?\);\n/g, '');
      assert.doesNotMatch(live, /createNewCurrentTask|enterSync|task\.(resolve|exit|enter)\(|WithTaskMeta|WithGlobalCurrentTaskMeta/, name);
      // The host function is still called, and the borrowed handles still released.
      assert.match(live, /_trackHostOperation\(/, name);
    }
    assert.doesNotMatch(rewritten, /_lowerImportBackwardsCompat\.bind\(\s*null/);
  });
}

test('a trampoline jco shaped otherwise keeps its task and is lowered as jco lowers it; the others are still made direct', async () => {
  const glue = await jcoGlue('http-js', 'hello', true);
  const [first, ...others] = trampolines(glue).filter((n) => bodyOf(glue, n).includes('task.enterSync();'));
  const changed = glue.replace(bodyOf(glue, first!), bodyOf(glue, first!).replace('task.enterSync();', 'task.enterSync(); // changed'));
  const rewritten = directHostCalls(changed);
  assert.ok(!direct(rewritten).includes(first!));
  assert.match(bodyOf(rewritten, first!), /createNewCurrentTask/);
  assert.ok(others.every((n) => direct(rewritten).includes(n)));
  // Its lowering falls back to jco's, which opens the subtask the trampoline expects.
  assert.match(rewritten, /return _lowerImportBackwardsCompat\.bind\(thisArg, args\);/);
  // Glue without the lowering jco's own path needs is left whole.
  const noLowering = glue.replace(/function _lowerImportBackwardsCompat\(args\)/, 'function renamedLowering(args)');
  assert.equal(directHostCalls(noLowering), noLowering);
});

test('requests through the direct host calls answer as before: headers, bodies and key-value state', async () => {
  const hello = await templateEngine('http-js');
  for (let i = 0; i < 3; i++) {
    const response = await hello.request('/hello');
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain/);
    assert.equal(await response.text(), 'Hello, Fermyon!\nmethod: GET\npath: /hello\n');
  }
  const counter = await templateEngine('kv-counter');
  const counts = [];
  for (let i = 0; i < 3; i++) counts.push(await (await counter.request('/')).text());
  assert.equal(new Set(counts).size, 3, `each request sees the count the previous one stored: ${counts.join(' | ')}`);
});
