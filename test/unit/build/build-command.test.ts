import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseComponentizeCommand } from '../../../shared/build/build-command.ts';

test('a template’s build command gives entry, output and world', () => {
  assert.deepEqual(parseComponentizeCommand('twirl componentize src/index.js -o dist/hello.wasm'), { entry: 'src/index.js', out: 'dist/hello.wasm' });
  assert.deepEqual(parseComponentizeCommand('npx twirl componentize src/index.ts --world spin-http -o dist/a.wasm --preinit=ts'), { entry: 'src/index.ts', out: 'dist/a.wasm', world: 'spin-http' });
});

test('any other command is not one the browser can run', () => {
  assert.equal(parseComponentizeCommand('npm run build'), undefined);
  assert.equal(parseComponentizeCommand('twirl componentize src/index.js -o out.wasm && cp out.wasm dist/'), undefined);
  assert.equal(parseComponentizeCommand('twirl componentize src/index.js'), undefined);
  assert.equal(parseComponentizeCommand('cargo build --target wasm32-wasip1'), undefined);
});
