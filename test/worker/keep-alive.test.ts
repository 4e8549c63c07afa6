import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { Agent, fetch as undiciFetch } from 'undici';
import { builtTemplate } from '../../node/templates/built-template.ts';
import { removeState, startWorker, type RunningWorker } from './support/platform.ts';

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

/** Sends raw requests on one connection and waits (with a deadline) for each answer's whole body. */
function rawConnection(url: string) {
  const { port, hostname } = new URL(url);
  const socket = connect(Number(port), hostname);
  let received = '';
  let ended = false;
  socket.on('data', (chunk) => (received += chunk.toString('latin1')));
  socket.on('end', () => (ended = true));
  socket.on('error', () => (ended = true));
  const until = async (done: () => boolean, what: string) => {
    const deadline = Date.now() + 30_000;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`${what}: nothing within 30 s (got ${JSON.stringify(received)})`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  /** Answers so far whose body arrived whole (every answer here has a Content-Length). */
  const answers = () => {
    const out: string[] = [];
    let rest = received;
    for (;;) {
      const end = rest.indexOf('\r\n\r\n');
      if (end < 0) return out;
      const length = Number(/content-length: *(\d+)/i.exec(rest.slice(0, end))?.[1] ?? 0);
      if (rest.length < end + 4 + length) return out;
      out.push(rest.slice(0, rest.indexOf('\r\n')));
      rest = rest.slice(end + 4 + length);
    }
  };
  return {
    ended: () => ended,
    async ask(path: string, count: number) {
      socket.write(`GET ${path} HTTP/1.1\r\nhost: ${new URL(url).host}\r\n\r\n`);
      await until(() => answers().length >= count || ended, `GET ${path}`);
      return answers();
    },
    closedByServer: () => until(() => ended, 'the idle close'),
    destroy: () => socket.destroy(),
  };
}

/** Its next request is answered on the same connection after workerd has closed an idle one of the same age. */
async function outlivesIdleClose(worker: RunningWorker, path: string): Promise<void> {
  const client = rawConnection(worker.url);
  const probe = rawConnection(worker.workerdUrl);
  try {
    assert.deepEqual(await client.ask(path, 1), ['HTTP/1.1 200 OK']);
    // Asked after the client's answer: when workerd closes this idle connection, it has closed the client's too.
    assert.deepEqual(await probe.ask(path, 1), ['HTTP/1.1 200 OK']);
    await probe.closedByServer();
    assert.deepEqual(await client.ask(path, 2), ['HTTP/1.1 200 OK', 'HTTP/1.1 200 OK']);
    assert.equal(client.ended(), false);
  } finally {
    client.destroy();
    probe.destroy();
  }
}

test("a kept-alive connection to an app outlives workerd's idle close: its next request is answered, not reset", async () => {
  const { dir } = await builtTemplate('http-js');
  const worker = await startWorker({ appDir: dir, logs: { write: () => {} } });
  try {
    await outlivesIdleClose(worker, '/');
  } finally {
    await removeState(worker);
  }
});

test("a kept-alive connection to the platform outlives workerd's idle close too", async () => {
  const worker = await startWorker();
  try {
    await outlivesIdleClose(worker, '/api');
  } finally {
    await removeState(worker);
  }
});
