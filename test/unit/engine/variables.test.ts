import { test } from 'node:test';
import assert from 'node:assert/strict';
import { templateEngine } from '../../support/template-engine.ts';
import { ManifestError } from '../../../shared/errors.ts';

test('component variables resolve from application variables, defaults and provided values', async () => {
  const app = await templateEngine('variables', { variables: { name: 'Ada' } });
  const body = await (await app.request('/')).json();
  assert.deepEqual(body, { greeting: 'Hello', name: 'Ada', message: 'Hello, Ada!', token: 'not-a-real-token' });
});

test('a provided value overrides a default', async () => {
  const app = await templateEngine('variables', { variables: { name: 'Grace', greeting: 'Hi' } });
  assert.equal(((await (await app.request('/')).json()) as { message: string }).message, 'Hi, Grace!');
});

test('a required variable with no value fails at load with a clear error', async () => {
  await assert.rejects(templateEngine('variables'), (err: unknown) => {
    assert.ok(err instanceof ManifestError);
    assert.match(err.message, /name/);
    assert.match(err.message, /spin\.toml/);
    return true;
  });
});
