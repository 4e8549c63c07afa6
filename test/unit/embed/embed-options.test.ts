/** The embed's attributes as a docs author writes them, read and checked. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkResponse, listedFiles, lockedLineRanges, readExpectations, requestHeaders } from '../../../web/embed/embed-options.ts';

test('`readonly-lines` reads files, single lines and ranges; a malformed part is named', () => {
  const ranges = lockedLineRanges('src/index.js:1-4,9 ./spin.toml:2');
  assert.deepEqual(ranges.get('src/index.js'), [[1, 4], [9, 9]]);
  assert.deepEqual(ranges.get('spin.toml'), [[2, 2]]);
  assert.throws(() => lockedLineRanges('src/index.js'), /"src\/index\.js" is not <file>:<lines>/);
  assert.throws(() => lockedLineRanges('src/index.js:5-2'), /"5-2" in "src\/index\.js:5-2" is not a line or a range/);
});

test('`files` lists paths in order; `headers` reads name: value pairs', () => {
  assert.deepEqual(listedFiles('src/index.js, ./spin.toml'), ['src/index.js', 'spin.toml']);
  assert.deepEqual(listedFiles(null), []);
  assert.deepEqual(requestHeaders('content-type: text/plain; x-a: b:c'), [['content-type', 'text/plain'], ['x-a', 'b:c']]);
  assert.throws(() => requestHeaders('nonsense'), /"nonsense" is not <name>: <value>/);
});

test('expectations check the status and the body, saying what came back', () => {
  assert.throws(() => readExpectations('abc', null), /"abc" is not an HTTP status/);
  const checks = checkResponse(readExpectations('201', 'saved'), 200, 'not saved here');
  assert.deepEqual(checks, [
    { label: 'status is 201', pass: false, seen: '200' },
    { label: 'body contains “saved”', pass: true, seen: 'not saved here' },
  ]);
  assert.deepEqual(checkResponse(readExpectations(null, null), 500, ''), []);
});
