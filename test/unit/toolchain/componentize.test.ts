import { componentWit } from '@bytecodealliance/jco-transpile/wasm-tools';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { buildJsComponent } from '../../../node/toolchain/componentize.ts';
import { TwirlError } from '../../../shared/errors.ts';
import { builtTemplate } from '../../../node/templates/built-template.ts';
import { tinyComponent } from '../../fixtures/tiny-component.ts';

/** `\0asm`, then version 0x0d and layer 1: a component, not a core module. */
const COMPONENT_HEADER = [0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00];
const templates = fileURLToPath(new URL('../../../templates/', import.meta.url));

describe('componentize', () => {
  test('http-js builds to a component exporting wasi:http/incoming-handler', async () => {
    const { components } = await builtTemplate('http-js');
    const hello = components.hello;
    assert.ok(hello);
    assert.deepEqual([...hello.subarray(0, 8)], COMPONENT_HEADER);
    const wit = await componentWit(hello);
    assert.match(wit, /export wasi:http\/incoming-handler@0\.2\.\d+;/);
    // The world is derived from the code's imports: hello imports no Spin interface.
    assert.doesNotMatch(wit, /fermyon:spin/);
  });

  test('a component imports the Spin interfaces its code imports', async () => {
    const { components } = await builtTemplate('kv-counter');
    const wit = await componentWit(components.counter!);
    assert.match(wit, /import fermyon:spin\/key-value@2\.0\.0;/);
  });

  test('a syntax error names the file, line and column', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'twirl-syntax-'));
    try {
      await cp(join(templates, 'http-js'), dir, { recursive: true });
      const entry = join(dir, 'src', 'index.js');
      const lines = (await readFile(entry, 'utf8')).split('\n');
      lines.splice(3, 0, 'const broken = ;');
      await writeFile(entry, lines.join('\n'));
      await assert.rejects(buildJsComponent({ entry }), (err: unknown) => {
        assert.ok(err instanceof TwirlError);
        assert.equal(err.code, 'bundle-failed');
        assert.match(err.message, /index\.js:4:16: error: Unexpected ";"/);
        assert.match(err.message, /const broken = ;/);
        return true;
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a built template is cached: the second call reuses the files on disk', async () => {
    const first = await builtTemplate('http-js');
    const builtAt = (await stat(join(first.dir, 'dist', 'hello.wasm'))).mtimeMs;
    const second = await builtTemplate('http-js');
    assert.equal(second.dir, first.dir);
    assert.equal((await stat(join(second.dir, 'dist', 'hello.wasm'))).mtimeMs, builtAt);
    assert.deepEqual(second.components.hello, first.components.hello);
  });

  test('concurrent builds of one template share one build', async () => {
    const [a, b] = await Promise.all([builtTemplate('http-ts'), builtTemplate('http-ts')]);
    assert.equal(a, b);
  });

  test('the tiny component exports fermyon:spin/inbound-http@2.0.0', async () => {
    const tiny = tinyComponent();
    assert.deepEqual([...tiny.subarray(0, 8)], COMPONENT_HEADER);
    assert.match(await componentWit(tiny), /export fermyon:spin\/inbound-http@2\.0\.0;/);
  });
});
