import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { Agent, fetch as undiciFetch } from 'undici';
import { builtTemplate } from '../../node/templates/built-template.ts';
import { removeState, startWorker } from './support/platform.ts';

test('a kept-alive connection survives bodies the app never reads, over the limit or not (no reset, every request answered)', async () => {
  const { dir } = await builtTemplate('http-js');
  const worker = await startWorker({ appDir: dir, logs: { write: () => {} } });
  // One connection, reused: workerd used to close it with the unread body left, resetting the next request.
  const agent = new Agent({ connections: 1 });
  try {
    const answers: Array<number | string> = [];
    for (const size of [4_000_000, 12_000_000, 4_000_000, 12_000_000, 4_000_000, 12_000_000]) {
      const res = await undiciFetch(worker.url, { method: 'POST', body: new Uint8Array(size), dispatcher: agent }).catch((err: unknown) => String((err as { cause?: { code?: string } }).cause?.code ?? err));
      answers.push(typeof res === 'string' ? res : (await res.arrayBuffer(), res.status));
    }
    // http-js answers without reading its body; 12 MB is over the 10 MiB a request may carry.
    assert.deepEqual(answers, [200, 413, 200, 413, 200, 413]);
  } finally {
    await agent.close();
    await removeState(worker);
  }
});

test('a client sending its body a byte at a time is answered 408 at the request deadline', async () => {
  const { dir } = await builtTemplate('fixtures/apps/hostile');
  const worker = await startWorker({ appDir: dir, limits: { timeoutMs: 2_000 }, logs: { write: () => {} } });
  try {
    const url = new URL(worker.url);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname);
      let received = '';
      let drip: ReturnType<typeof setInterval> | undefined;
      const giveUp = setTimeout(() => finish(new Error(`no answer within 20 s (got ${JSON.stringify(received)})`)), 20_000);
      const finish = (result: string | Error) => {
        clearInterval(drip);
        clearTimeout(giveUp);
        socket.destroy();
        if (typeof result === 'string') resolve(result);
        else reject(result);
      };
      socket.on('connect', () => {
        socket.write(`POST /ok HTTP/1.1\r\nhost: ${url.host}\r\ncontent-length: 1000\r\n\r\n`);
        drip = setInterval(() => socket.write('x'), 200);
      });
      socket.on('data', (chunk) => {
        received += chunk.toString();
        if (received.includes('\r\n')) finish(received.split('\r\n')[0]!);
      });
      socket.on('error', (err) => finish(err));
    });
    assert.equal(answer, 'HTTP/1.1 408 Request Timeout');
  } finally {
    await removeState(worker);
  }
});
