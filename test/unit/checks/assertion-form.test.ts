import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertionFrom } from '../../../web/app/saved-assertions.ts';

const request = { method: 'POST', path: '/notes/a', headers: [['content-type', 'text/plain']] as Array<[string, string]>, body: 'hi' };

test('the request builder’s expectations become a check like a lesson’s', () => {
  const { check, problems } = assertionFrom(request, { status: '201', bodyContains: 'saved', headers: 'x-kind: note\n', json: '{"ok": true}' });
  assert.deepEqual(problems, []);
  assert.deepEqual(check, {
    name: 'POST /notes/a',
    request: { method: 'POST', path: '/notes/a', headers: [['content-type', 'text/plain']], body: 'hi' },
    expect: { status: 201, headers: { 'x-kind': 'note' }, bodyContains: ['saved'], json: { ok: true } },
  });
});

test('expectations that cannot be checked are refused, naming the field', () => {
  assert.deepEqual(assertionFrom(request, { status: 'ok', bodyContains: '', headers: '', json: '' }).problems.map((p) => p.field), ['assertion.expect.status']);
  assert.deepEqual(assertionFrom(request, { status: '', bodyContains: '', headers: '', json: '{nope' }).problems.map((p) => p.field), ['expect.json', 'assertion.expect']);
  assert.equal(assertionFrom(request, { status: '', bodyContains: '', headers: '', json: '' }).check, undefined);
});
