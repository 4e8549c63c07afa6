import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { templateEngine } from '../../support/template-engine.ts';
import { builtTemplate } from '../../../node/templates/built-template.ts';

const app = await templateEngine('static-files');
const { dir } = await builtTemplate('static-files');

test('mounted files are served from their destination', async () => {
  const res = await app.request('/');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /text\/html/);
  assert.equal(await res.text(), await readFile(join(dir, 'assets', 'index.html'), 'utf8'));
});

test('a missing file is 404 and .. cannot leave the mount', async () => {
  assert.equal((await app.request('/nope.txt')).status, 404);
  assert.notEqual((await app.request('/%2e%2e/spin.toml')).status, 200);
});

test('files not listed in the mount are invisible to the component', async () => {
  assert.equal((await app.request('/spin.toml')).status, 404);
});
