/** The source map kept beside a component is read back only for the component it was written with. */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { SourceMap } from '../../../shared/build/source-map.ts';
import { keepSourceMap, readKeptSourceMap, sourceMapPathOf } from '../../../node/toolchain/component-source-map.ts';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'twirl-map-'));
  await mkdir(join(dir, 'dist'));
});
after(() => rm(dir, { recursive: true, force: true }));

// Bundle line 2, column 1 came from line 3, column 5 of the second source.
const map = () => new SourceMap({ version: 3, sources: [join(dir, 'src/a.js'), join(dir, 'src/b.js')], mappings: ';ACEI' });

test('the map names its sources from its own folder and reads back relative to the base asked for', async () => {
  const component = join(dir, 'dist/app.wasm');
  const bytes = new Uint8Array([0, 97, 115, 109, 1]);
  await writeFile(component, bytes);
  await keepSourceMap(component, bytes, map());
  const written = JSON.parse(await readFile(sourceMapPathOf(component), 'utf8')) as { sources: string[] };
  assert.deepEqual(written.sources, ['../src/a.js', '../src/b.js']);
  assert.deepEqual(readKeptSourceMap(component, dir)?.originalPosition(2, 1), { source: 'src/b.js', line: 3, column: 5 });
  assert.deepEqual(readKeptSourceMap(component, join(dir, 'dist'))?.originalPosition(2, 1)?.source, '../src/b.js');
});

test('a map left beside another component (rebuilt by other means) is not applied; a build without one removes it', async () => {
  const component = join(dir, 'dist/other.wasm');
  await writeFile(component, new Uint8Array([1, 2, 3]));
  await keepSourceMap(component, new Uint8Array([1, 2, 3]), map());
  assert.ok(readKeptSourceMap(component, dir));
  await writeFile(component, new Uint8Array([1, 2, 4]));
  assert.equal(readKeptSourceMap(component, dir), undefined);
  await keepSourceMap(component, new Uint8Array([1, 2, 4]), undefined);
  await assert.rejects(readFile(sourceMapPathOf(component)));
});
