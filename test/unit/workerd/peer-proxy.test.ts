/**
 * The local front that tells the app worker each client's ip:port (spin-client-addr, as Spin
 * gives it): it adds its header to every request of a kept-alive connection, whatever the body
 * framing, drops a client's forged one, and passes responses byte for byte.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request, Agent } from 'node:http';
import { connect, createServer as createNetServer, type AddressInfo } from 'node:net';
import { startPeerProxy } from '../../../node/workerd/peer-proxy.ts';

/** Echoes what it received: the peer header and the body, with the headers it is given only. */
const upstream = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    res.sendDate = false;
    res.end(JSON.stringify({ peer: req.headers['x-twirl-peer'], body: Buffer.concat(chunks).toString(), url: req.url }));
  });
});
await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
const proxy = await startPeerProxy('127.0.0.1', 0, new URL(`http://127.0.0.1:${(upstream.address() as AddressInfo).port}/`), 'sekret');
after(async () => {
  await proxy.close();
  upstream.close();
});

function send(agent: Agent, path: string, body?: string, headers: Record<string, string> = {}, chunked = false): Promise<{ json: { peer: string; body: string; url: string }; localPort: number }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, proxy.url), { method: body === undefined ? 'GET' : 'POST', agent, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ json: JSON.parse(text), localPort: req.socket!.localPort! }));
    });
    req.on('error', reject);
    if (body !== undefined) {
      if (chunked) for (const piece of body.split('|')) req.write(piece);
      else req.write(body);
    }
    req.end();
  });
}

/** A client connection to `url` written by hand; `answered` waits for a server's `answer to <path>`. */
function rawClient(url: string) {
  const socket = connect(Number(new URL(url).port), '127.0.0.1');
  let received = '';
  let ended = false;
  socket.on('data', (c) => (received += c.toString()));
  socket.on('end', () => (ended = true));
  socket.on('close', () => (ended = true));
  const answered = async (path: string) => {
    const deadline = Date.now() + 20_000;
    while (!received.includes(`answer to ${path}`) && !ended && Date.now() < deadline) await new Promise((resolve) => setImmediate(resolve));
    return received.includes(`answer to ${path}`);
  };
  return { socket, answered, received: () => received, ended: () => ended };
}

test('the front adds the client ip:port after its secret to every request of a kept-alive connection, chunked or not, and drops a forged one', async () => {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const first = await send(agent, '/a', undefined, { 'x-twirl-peer': 'guess 10.0.0.1:1' });
  const second = await send(agent, '/b', 'a|chunked|body', { 'transfer-encoding': 'chunked' }, true);
  const third = await send(agent, '/c?q=1', 'sized body');
  agent.destroy();
  assert.equal(first.localPort, second.localPort, 'one connection');
  for (const [sent, path, body] of [[first, '/a', ''], [second, '/b', 'achunkedbody'], [third, '/c?q=1', 'sized body']] as const) {
    assert.equal(sent.json.peer, `sekret 127.0.0.1:${sent.localPort}`);
    assert.equal(sent.json.url, path);
    assert.equal(sent.json.body, body);
  }
});

test('responses pass byte for byte: no Date, Connection or Keep-Alive header of its own', async () => {
  const raw = await new Promise<string>((resolve, reject) => {
    const socket = connect(Number(new URL(proxy.url).port), '127.0.0.1', () => socket.write('GET /raw HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n'));
    let text = '';
    socket.on('data', (c) => (text += c.toString()));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
  const head = raw.slice(0, raw.indexOf('\r\n\r\n')).toLowerCase();
  assert.match(head, /^http\/1\.1 200 ok/);
  assert.doesNotMatch(head, /\r\ndate:/);
  assert.doesNotMatch(head, /keep-alive/);
});

/** A server that closes a connection 50 ms after its last answer (as workerd does at 5 s), and says when it has. */
async function idleClosingServer() {
  const closed: Array<() => void> = [];
  let connections = 0;
  const server = createServer({ keepAliveTimeout: 50 }, (req, res) => {
    req.resume();
    req.on('end', () => res.end(`answer to ${req.url}`));
  });
  server.on('connection', (socket) => {
    connections++;
    socket.on('close', () => closed.shift()?.());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`),
    connections: () => connections,
    /** Resolves when the server next closes a connection. */
    nextClose: () => new Promise<void>((resolve) => closed.push(resolve)),
    close: () => server.close(),
  };
}

/**
 * Through a front made by `startFront`, a client sends a request, the server closes that idle
 * connection, and the client sends a second request on its own kept-alive connection.
 */
async function secondRequestAfterServerClose(startFront: (target: URL) => Promise<{ url: string; close(): Promise<void> }>) {
  const server = await idleClosingServer();
  const front = await startFront(server.url);
  const { socket, answered, received, ended } = rawClient(front.url);
  try {
    const upstreamClosed = server.nextClose();
    socket.write('POST /first HTTP/1.1\r\nhost: x\r\ncontent-length: 3\r\n\r\nabc');
    assert.ok(await answered('/first'));
    await upstreamClosed;
    socket.write('GET /second HTTP/1.1\r\nhost: x\r\n\r\n');
    assert.ok(await answered('/second'), `the second request was answered on the same connection (got ${JSON.stringify(received())})`);
    assert.equal(ended(), false, "the client's connection stays open");
    assert.equal(server.connections(), 2, 'the second request went to the server on a new connection');
  } finally {
    socket.destroy();
    await front.close();
    server.close();
  }
}

test("a kept-alive client's next request is answered after the server closed its idle connection (as workerd does at 5 s)", () =>
  secondRequestAfterServerClose((target) => startPeerProxy('127.0.0.1', 0, target, 'sekret')));

test('a client held back by a full connection to the server is read again when that connection closes before it drained', () => {
  // The first connection reports its buffer full after its first write and never drains, as a
  // connection to a busy workerd can before workerd closes it; the bytes still go out.
  let opened = 0;
  const connectFull = (port: number, host: string) => {
    const socket = connect(port, host);
    if (opened++ === 0) {
      const write = socket.write.bind(socket) as (chunk: Buffer) => boolean;
      socket.write = ((chunk: Buffer) => (write(chunk), false)) as typeof socket.write;
    }
    return socket;
  };
  return secondRequestAfterServerClose((target) => startPeerProxy('127.0.0.1', 0, target, 'sekret', { connect: connectFull }));
});

test('a request head that trickles in is answered 408 at its deadline, not held open', async () => {
  const front = await startPeerProxy('127.0.0.1', 0, new URL(`http://127.0.0.1:${(upstream.address() as AddressInfo).port}/`), 'sekret', { headMs: 300 });
  const socket = connect(Number(new URL(front.url).port), '127.0.0.1');
  try {
    const answer = await new Promise<string>((resolve, reject) => {
      let received = '';
      const drip = setInterval(() => socket.write('x'), 50);
      const giveUp = setTimeout(() => reject(new Error(`no answer within 20 s (got ${JSON.stringify(received)})`)), 20_000);
      socket.on('connect', () => socket.write('GET /slow HTTP/1.1\r\nx-slow: '));
      socket.on('data', (c) => (received += c.toString()));
      socket.on('end', () => (clearInterval(drip), clearTimeout(giveUp), resolve(received)));
      socket.on('error', reject);
    });
    assert.match(answer, /^HTTP\/1\.1 408 Request Timeout\r\n/);
  } finally {
    socket.destroy();
    await front.close();
  }
});

test("after a request longer than a second, the next goes to the server on a new connection (workerd's idle close may fall due right after the long request's answer)", async () => {
  // Like workerd under load: a connection's idle clock starts with its request, not its answer,
  // so a request arriving there after the long one's answer is reset without an answer.
  let connections = 0;
  const server = createNetServer((socket) => {
    connections++;
    let started = 0;
    let pending = '';
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => {
      if (started && Date.now() - started > 1_000) return socket.resetAndDestroy();
      pending += chunk.toString('latin1');
      for (let end = pending.indexOf('\r\n\r\n'); end >= 0; end = pending.indexOf('\r\n\r\n')) {
        const path = pending.slice(0, end).split(' ')[1]!;
        pending = pending.slice(end + 4);
        started ||= Date.now();
        const body = `answer to ${path}`;
        setTimeout(() => socket.write(`HTTP/1.1 200 OK\r\ncontent-length: ${body.length}\r\n\r\n${body}`), path === '/long' ? 1_200 : 0);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const front = await startPeerProxy('127.0.0.1', 0, new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`), 'sekret');
  const { socket, answered, received } = rawClient(front.url);
  try {
    socket.write('GET /long HTTP/1.1\r\nhost: x\r\n\r\n');
    assert.ok(await answered('/long'));
    socket.write('GET /next HTTP/1.1\r\nhost: x\r\n\r\n');
    assert.ok(await answered('/next'), `the next request was answered (got ${JSON.stringify(received())})`);
    assert.equal(connections, 2, 'it went to the server on a new connection');
  } finally {
    socket.destroy();
    await front.close();
    server.close();
  }
});
