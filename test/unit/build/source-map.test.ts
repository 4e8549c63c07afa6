import assert from 'node:assert/strict';
import { test } from 'node:test';
import { build } from 'esbuild';
import { SourceMap, type SourceMapJson } from '../../../shared/build/source-map.ts';

test('a bundle position maps back to its line and column in the source', async () => {
  const source = 'const a: number = 1;\n\nfunction boom(): never {\n  throw new Error("x" + a);\n}\nboom();\n';
  const result = await build({ stdin: { contents: source, loader: 'ts', sourcefile: 'src/index.ts' }, write: false, outfile: 'out.js', sourcemap: 'external', format: 'esm' });
  const code = result.outputFiles.find((o) => o.path.endsWith('out.js'))!.text;
  const map = new SourceMap(JSON.parse(result.outputFiles.find((o) => o.path.endsWith('.map'))!.text) as SourceMapJson);
  const lines = code.split('\n');
  const line = lines.findIndex((l) => l.includes('throw')) + 1;
  const column = lines[line - 1]!.indexOf('throw') + 1;
  assert.deepEqual(map.originalPosition(line, column), { source: 'src/index.ts', line: 4, column: 3 });
});

test('negative deltas and several sources decode', () => {
  // Line 1: source 0 at 1:1, then source 1 at 3:5; line 2: back to source 0 at 2:1.
  const map = new SourceMap({ version: 3, sources: ['a.js', 'b.js'], mappings: 'AAAA,UCEI;ADDJ' });
  assert.deepEqual(map.originalPosition(1, 1), { source: 'a.js', line: 1, column: 1 });
  assert.deepEqual(map.originalPosition(1, 20), { source: 'b.js', line: 3, column: 5 });
  assert.deepEqual(map.originalPosition(2, 1), { source: 'a.js', line: 2, column: 1 });
  assert.equal(map.originalPosition(3, 1), undefined);
});

test('an engine’s stack line has each bundle position rewritten to its source, the first one returned', async () => {
  const { atSource } = await import('../../../shared/build/source-error.ts');
  const source = 'function handle() {\n  throw new Error("no greeting");\n}\nhandle();\n';
  const result = await build({ stdin: { contents: source, loader: 'js', sourcefile: 'src/index.js' }, write: false, outfile: 'bundle.js', sourcemap: 'external', format: 'esm' });
  const code = result.outputFiles.find((o) => o.path.endsWith('bundle.js'))!.text;
  const map = new SourceMap(JSON.parse(result.outputFiles.find((o) => o.path.endsWith('.map'))!.text) as SourceMapJson);
  const line = code.split('\n').findIndex((l) => l.includes('throw')) + 1;
  const column = code.split('\n')[line - 1]!.indexOf('throw') + 1;
  const mapped = atSource(`handle@bundle.js:${line}:${column}`, map);
  assert.equal(mapped.text, 'handle@src/index.js:2:3');
  assert.deepEqual(mapped.at, { source: 'src/index.js', line: 2, column: 3 });
  assert.deepEqual(atSource('Error: no greeting', map), { text: 'Error: no greeting' });
});
