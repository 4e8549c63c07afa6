import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'smol-toml';
import { parseChecks } from '../../../shared/checks/parse-checks.ts';

test('checks parse from TOML with defaults: GET, the default store, a name from the request', () => {
  const data = parse(`
[[checks]]
request = { path = "/hello" }
expect.status = 201
expect.body_contains = "Hello"
expect.key_value = [{ key = "count", value = "1" }]

[[checks]]
name = "posts a note"
request = { method = "put", path = "/notes/a", headers = { "content-type" = "text/plain" }, body = "hi" }
expect.json = { saved = true }
`);
  const { checks, problems } = parseChecks(data['checks']);
  assert.deepEqual(problems, []);
  assert.deepEqual(checks, [
    { name: 'GET /hello', request: { method: 'GET', path: '/hello', headers: [] }, expect: { status: 201, bodyContains: ['Hello'], keyValue: [{ store: 'default', key: 'count', value: '1' }] } },
    { name: 'posts a note', request: { method: 'PUT', path: '/notes/a', headers: [['content-type', 'text/plain']], body: 'hi' }, expect: { json: { saved: true } } },
  ]);
});

test('every problem in a check names its field', () => {
  const { checks, problems } = parseChecks([
    { request: { method: 'FETCH', path: 'hello' }, expect: { status: 999, body_contain: 'x' } },
    { request: { path: '/', body: 'x' }, expect: {} },
    { expect: { key_value: [{ store: 'default' }, { key: 'k', value: 'v', absent: true }] } },
    'not a table',
  ]);
  assert.deepEqual(checks, []);
  assert.deepEqual(
    problems.map((p) => p.field),
    [
      'checks[0].request.method',
      'checks[0].request.path',
      'checks[0].expect.body_contain',
      'checks[0].expect.status',
      'checks[1].request.body',
      'checks[1].expect',
      'checks[2].request',
      'checks[2].expect.key_value[0].key',
      'checks[2].expect.key_value[1].absent',
      'checks[3]',
    ],
  );
  assert.match(problems[3]!.message, /100 to 599/);
});

test('checks that are not a list say so', () => {
  assert.deepEqual(parseChecks({ request: {} }).problems, [{ field: 'checks', message: 'must be a list of checks ([[checks]] tables)' }]);
  assert.deepEqual(parseChecks(undefined), { checks: [], problems: [] });
});
