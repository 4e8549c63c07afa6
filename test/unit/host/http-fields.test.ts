import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Fields } from '../../../shared/host/wasi/http-fields.ts';

const bytes = (s: string) => new TextEncoder().encode(s);

test("a request's fields from web headers read as given (names lower-cased, values as UTF-8), in every view, and stay immutable", () => {
  let encoded = 0;
  const encoder = new (class extends TextEncoder {
    override encode(input?: string): Uint8Array<ArrayBuffer> {
      encoded++;
      return super.encode(input);
    }
  })();
  const headers: Array<[string, string]> = [
    ['Content-Type', 'text/plain'],
    ['x-twirl', 'é'],
    ['x-twirl', 'two'],
  ];
  // A one-shot source, as a request's headers are handed over: read when first asked for, and once.
  let reads = 0;
  function* source(): Generator<[string, string]> {
    reads++;
    yield* headers;
  }
  const fields = Fields.fromHeaders(source(), encoder);
  // Nothing is read or encoded until the fields are read: most components never read their request's.
  assert.equal(reads, 0);
  assert.equal(encoded, 0);
  const view = fields.frozen();
  assert.deepEqual(view.get('X-Twirl'), [bytes('é'), bytes('two')]);
  assert.equal(encoded, 3);
  assert.equal(reads, 1);
  assert.deepEqual(fields.entries(), [
    ['content-type', bytes('text/plain')],
    ['x-twirl', bytes('é')],
    ['x-twirl', bytes('two')],
  ]);
  assert.equal(fields.has('content-type'), true);
  assert.throws(() => fields.set('x-twirl', [bytes('3')]), (err: { payload?: { tag: string } }) => err.payload?.tag === 'immutable');
  const copy = fields.clone();
  copy.set('x-twirl', [bytes('3')]);
  assert.deepEqual(copy.get('x-twirl'), [bytes('3')]);
  assert.deepEqual(fields.get('x-twirl'), [bytes('é'), bytes('two')]);
  assert.equal(encoded, 3);
  assert.equal(fields.toHeaders().get('content-type'), 'text/plain');
});
