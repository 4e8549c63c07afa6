import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ResponseFraming } from '../../../node/workerd/response-framing.ts';

/** Feeds `bytes` in pieces of `step` for requests of `methods`; returns what completed, in order. */
function frame(methods: string[], bytes: string, step: number): { completed: Array<{ method: string; close: boolean }>; unframed: boolean } {
  const waiting = [...methods];
  const completed: Array<{ method: string; close: boolean }> = [];
  const framing = new ResponseFraming({ method: () => waiting[0], complete: (close) => completed.push({ method: waiting.shift()!, close }) });
  const buffer = Buffer.from(bytes, 'latin1');
  for (let at = 0; at < buffer.length; at += step) framing.push(buffer.subarray(at, at + step));
  return { completed, unframed: framing.unframed };
}

const sized = 'HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello';
const chunked = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nx-trailer: 1\r\n\r\n';
const interim = 'HTTP/1.1 100 Continue\r\n\r\n';
const empty = 'HTTP/1.1 204 No Content\r\n\r\n';
const head = 'HTTP/1.1 200 OK\r\ncontent-length: 99\r\n\r\n';
const closing = 'HTTP/1.1 413 Payload Too Large\r\nContent-Length: 0\r\nConnection: close\r\n\r\n';

test('each response is seen to end, sized, chunked with trailers, after an interim one, without a body, whatever the pieces', () => {
  for (const step of [1, 3, 7, 1000]) {
    const { completed, unframed } = frame(['GET', 'POST', 'DELETE', 'HEAD', 'PUT'], sized + chunked + interim + empty + head + closing, step);
    assert.deepEqual(completed, [
      { method: 'GET', close: false },
      { method: 'POST', close: false },
      { method: 'DELETE', close: false },
      { method: 'HEAD', close: false },
      { method: 'PUT', close: true },
    ], `pieces of ${step}`);
    assert.equal(unframed, false);
  }
});

test('a response that ends with its connection, or a switch of protocol, is never taken for ended', () => {
  for (const bytes of ['HTTP/1.1 200 OK\r\n\r\nuntil the close', 'HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\n\r\n', 'garbage\r\n\r\n']) {
    const { completed, unframed } = frame(['GET'], bytes + sized, 4);
    assert.deepEqual(completed, []);
    assert.equal(unframed, true);
  }
});
