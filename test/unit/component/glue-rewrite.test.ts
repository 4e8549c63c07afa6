import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateGlue } from '../../../shared/component/prepare.ts';
import { liftBytes, quietGlue } from '../../../shared/component/glue-rewrite.ts';
import { builtTemplate } from '../../../node/templates/built-template.ts';

test("the glue lifts every list<u8> through liftBytes, whose own text it carries", async () => {
  const generated = await generateGlue((await builtTemplate('kv-counter')).components['counter']!, 'counter', true);
  const jco = new TextDecoder().decode(generated.files.find(([file]) => file.endsWith('.js'))![1]);
  const lifts = [...jco.matchAll(/\.buffer\.slice\(/g)].length;
  assert.ok(lifts >= 3, `jco's glue lifts byte lists by slicing (${lifts})`);
  const glue = quietGlue(jco);
  assert.doesNotMatch(glue, /\.buffer\.slice\(/);
  assert.equal([...glue.matchAll(/\$twirlLiftBytes\(memory\d+, \w+, \w+\)/g)].length, lifts);
  assert.match(glue, /\nconst \$twirlLiftBytes = function liftBytes\(memory\s*, ptr\s*, len\s*\)/);
});

test('a byte list is copied out of memory; one that lies outside it traps instead of being cut short', () => {
  const memory = new WebAssembly.Memory({ initial: 1 });
  new Uint8Array(memory.buffer).set([1, 2, 3, 4], 65530);
  const bytes = liftBytes(memory, 65530, 4);
  assert.deepEqual([...bytes], [1, 2, 3, 4]);
  assert.notEqual(bytes.buffer, memory.buffer);
  assert.deepEqual([...liftBytes(memory, 65536, 0)], []);
  // ArrayBuffer.prototype.slice gave 2 bytes here, and the last 6 of memory for a start of -6.
  for (const [ptr, len] of [[65534, 4], [-6, 4], [0, -1], [65537, 0]]) {
    assert.throws(() => liftBytes(memory, ptr!, len!), /lies outside the component's memory \(65536 bytes\)/, `${ptr}, ${len}`);
  }
  assert.throws(() => liftBytes(memory, -6, 4), /a list of 4 bytes at 4294967290 lies outside/);
});
