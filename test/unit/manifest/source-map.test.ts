import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatField, SourceMap } from '../../../shared/manifest/source-map.ts';

const text = [
  'spin_manifest_version = 2', // 1
  'description = """', // 2
  '[component.fake]', // 3: inside a multi-line string, not a header
  '"""', // 4
  'list = [', // 5
  '  "[component.also-fake]",', // 6
  ']', // 7
  '[[trigger.http]]', // 8
  'route = "/a"', // 9
  '[[trigger.http]]', // 10
  '  route = "/b" # second', // 11
  '[component."my-app"]', // 12
  'source = "a.wasm"', // 13
  '[component.my-app.build]', // 14
  'command = "make"', // 15
  '[[component]]', // 16
  'id = "v1"', // 17
  '[component.trigger]', // 18
  'route = "/"', // 19
].join('\n');
const map = SourceMap.scan(text);

test('finds the nth array-of-tables entry and a key inside it', () => {
  assert.equal(map.lineOf(['trigger', 'http', 0, 'route']), 9);
  assert.equal(map.lineOf(['trigger', 'http', 1, 'route']), 11);
  assert.equal(map.lineOf(['trigger', 'http', 1, 'component']), 10);
});

test('finds quoted and nested table headers', () => {
  assert.equal(map.lineOf(['component', 'my-app', 'source']), 13);
  assert.equal(map.lineOf(['component', 'my-app', 'build', 'command']), 15);
  assert.equal(map.lineOf(['component', 'my-app', 'files']), 12);
});

test('ignores headers inside multi-line strings and arrays', () => {
  assert.equal(map.lineOf(['component', 'fake']), undefined);
  assert.equal(map.lineOf(['component', 'also-fake']), undefined);
});

test('a sub-table of an array of tables belongs to its latest element', () => {
  assert.equal(map.lineOf(['component', 0, 'trigger', 'route']), 19);
  assert.equal(map.lineOf(['component', 0, 'id']), 17);
});

test('formats field paths with indices and quoted odd keys', () => {
  assert.equal(formatField(['trigger', 'http', 2, 'route']), 'trigger.http[2].route');
  assert.equal(formatField(['component', 'a', 'environment', 'A B']), 'component.a.environment."A B"');
});
