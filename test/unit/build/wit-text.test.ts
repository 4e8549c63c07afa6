import { test } from 'node:test';
import assert from 'node:assert/strict';
import { componentWitMetadataForWorld } from '@bytecodealliance/jco-transpile/wasm-tools';
import { witAsOneText } from '../../../shared/build/wit-text.ts';
import { TwirlError } from '../../../shared/errors.ts';

const files = new Map([
  ['world.wit', 'package twirl:app;\n\nworld app {\n  import demo:greet/names@1.0.0;\n}\n'],
  ['deps/greet/package.wit', '// a comment naming no package\npackage demo:greet@1.0.0;\n\ninterface names {\n  name: func() -> string;\n}\n'],
  ['deps/greet/more.wit', 'interface extra {\n  x: func();\n}\n'],
]);

test('dependencies become nested packages after the root file', () => {
  const text = witAsOneText(files);
  assert.match(text, /^package twirl:app;/);
  const nested = text.slice(text.indexOf('package demo:greet@1.0.0 {'));
  assert.ok(nested.includes('interface names') && nested.includes('interface extra'), 'both files of the package are inside it');
  assert.match(nested, /\}\n$/);
  assert.doesNotMatch(text, /package demo:greet@1\.0\.0;/);
});

test('wasm-tools resolves the world from the one text', async () => {
  const metadata = await componentWitMetadataForWorld({ tag: 'source', val: witAsOneText(files) }, 'app');
  assert.deepEqual(
    metadata.imports.map((i) => `${i.namespace}:${i.package}/${i.interface}`),
    ['demo:greet/names'],
  );
});

test('two root files, or a dependency without a package, are refused', () => {
  assert.throws(() => witAsOneText(new Map([...files, ['other.wit', 'package a:b;']])), TwirlError);
  assert.throws(() => witAsOneText(new Map([['world.wit', 'package a:b;'], ['deps/x.wit', 'interface i {}']])), /declares no package/);
});
