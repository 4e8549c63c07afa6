import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Check, CheckRequest, CheckTarget } from '../../../shared/checks/check.ts';
import { runCheck, runChecks } from '../../../shared/checks/run-check.ts';
import { jsonMismatch } from '../../../shared/checks/json-match.ts';

const encoder = new TextEncoder();

/** A tiny app: `/hello` answers JSON, `PUT /kv/<key>` stores the body; it records what it was sent. */
function fakeApp(): CheckTarget & { sent: CheckRequest[]; store: Map<string, Uint8Array> } {
  const sent: CheckRequest[] = [];
  const store = new Map<string, Uint8Array>();
  return {
    sent,
    store,
    async send(request) {
      sent.push(request);
      if (request.path === '/hello') return { status: 201, headers: [['Content-Type', 'application/json; charset=utf-8']], body: encoder.encode('{"message":"Hello, Spin!","tags":["a","b"],"extra":1}') };
      if (request.method === 'PUT' && request.path.startsWith('/kv/')) {
        store.set(`default/${request.path.slice(4)}`, encoder.encode(request.body ?? ''));
        return { status: 201, headers: [], body: new Uint8Array() };
      }
      return { status: 404, headers: [], body: new Uint8Array() };
    },
    async readKeyValue(label, key) {
      return store.get(`${label}/${key}`);
    },
  };
}

const helloCheck = (expect: Check['expect']): Check => ({ name: 'hello', request: { method: 'GET', path: '/hello', headers: [] }, expect });

test('a check whose every expectation holds passes, listing each one', async () => {
  const result = await runCheck(helloCheck({ status: 201, headers: { 'content-type': 'APPLICATION/JSON' }, bodyContains: ['Hello'], json: { message: 'Hello, Spin!', tags: ['a', 'b'] } }), fakeApp());
  assert.equal(result.pass, true);
  assert.deepEqual(
    result.outcomes.map((o) => [o.subject, o.pass]),
    [['status', true], ['header content-type', true], ['body contains', true], ['JSON', true]],
  );
});

test('a failing expectation shows what was expected and what came', async () => {
  const result = await runCheck(helloCheck({ status: 200, headers: { 'x-missing': 'y' }, bodyContains: ['Goodbye'], json: { message: 'Hi' } }), fakeApp());
  assert.equal(result.pass, false);
  const [status, header, body, json] = result.outcomes;
  assert.deepEqual(status, { subject: 'status', expected: '200', received: '201', pass: false });
  assert.deepEqual(header, { subject: 'header x-missing', expected: 'contains "y"', received: '(no such header)', pass: false });
  assert.equal(body?.pass, false);
  assert.match(body!.received, /Hello, Spin!/);
  assert.equal(json?.pass, false);
  assert.match(json!.received, /\$\.message is "Hello, Spin!"/);
});

test('a body that is not JSON fails a JSON expectation, saying so', async () => {
  const result = await runCheck({ name: 'x', request: { method: 'GET', path: '/nope', headers: [] }, expect: { json: {} } }, fakeApp());
  assert.equal(result.pass, false);
  assert.equal(result.outcomes[0]?.received, 'not JSON: (empty)');
});

test('key-value expectations read the state after the request; checks run in order', async () => {
  const app = fakeApp();
  const results = await runChecks(
    [
      { name: 'absent first', request: { method: 'GET', path: '/other', headers: [] }, expect: { keyValue: [{ store: 'default', key: 'note', absent: true }] } },
      { name: 'put', request: { method: 'PUT', path: '/kv/note', headers: [], body: 'hi' }, expect: { status: 201, keyValue: [{ store: 'default', key: 'note', value: 'hi' }, { store: 'default', key: 'note' }] } },
      { name: 'wrong value', request: { method: 'GET', path: '/other', headers: [] }, expect: { keyValue: [{ store: 'default', key: 'note', value: 'bye' }] } },
    ],
    app,
  );
  assert.deepEqual(results.map((r) => r.pass), [true, true, false]);
  assert.deepEqual(results[2]!.outcomes[0], { subject: 'key-value default/note', expected: '"bye"', received: '"hi"', pass: false });
  assert.deepEqual(app.sent.map((r) => `${r.method} ${r.path}`), ['GET /other', 'PUT /kv/note', 'GET /other']);
});

test('a request that cannot be sent fails its check with the reason; a target without key-value access fails those expectations', async () => {
  const failing: CheckTarget = { send: () => Promise.reject(new Error('the preview was closed')) };
  const result = await runCheck(helloCheck({ status: 200 }), failing);
  assert.deepEqual(result, { name: 'hello', pass: false, outcomes: [], error: 'the request failed: the preview was closed' });
  const { send } = fakeApp();
  const noKv = await runCheck(helloCheck({ keyValue: [{ store: 'default', key: 'a' }] }), { send });
  assert.equal(noKv.pass, false);
  assert.match(noKv.outcomes[0]!.received, /cannot be read/);
});

test('JSON matching: objects as subsets, lists and scalars exactly', () => {
  assert.equal(jsonMismatch({ a: { b: 1 } }, { a: { b: 1, c: 2 }, d: 3 }), undefined);
  assert.equal(jsonMismatch({ a: [1, 2] }, { a: [1, 2, 3] }), '$.a has 3 items, not 2');
  assert.equal(jsonMismatch({ a: 1 }, { a: '1' }), '$.a is "1"');
  assert.equal(jsonMismatch({ a: 1 }, [1]), '$ is not an object');
  assert.equal(jsonMismatch({ a: null }, {}), '$.a is missing');
  assert.equal(jsonMismatch([{ n: 1 }], [{ n: 1, m: 2 }]), undefined);
});
