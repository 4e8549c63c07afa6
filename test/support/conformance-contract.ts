/**
 * Spin's conformance expectations (after spinframework/conformance-tests: request-shape,
 * key-value, key-value-no-permission, variables, outbound-wasi-http with and without
 * permission), as every host must answer them: exact status, exact response headers (a `date`
 * alone may be added), exact bodies. Run against `test/fixtures/apps/conformance`, started with
 * its `upstream` variable naming a server that answers `Hello, world!` as text/plain.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Sends a request to the app at `path`, as the host would receive it; `host` is the Host the client names. */
export type ConformanceRequest = (path: string, init?: RequestInit) => Promise<Response>;

export interface Expected {
  status: number;
  /** Every header of the response but `date`, lower-case. */
  headers: Record<string, string>;
  body: string;
}

/** Spin's `http-echo` service: `Hello, world!` for any request. Resolves with its `host:port`. */
export async function startHelloUpstream(): Promise<{ host: string; server: Server }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'text/plain');
      // A browser host (the playground's service worker) may read it only with CORS.
      res.setHeader('access-control-allow-origin', '*');
      res.end('Hello, world!');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { host: `127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/**
 * A request over HTTP/1.1 that sends the Host header it is given (fetch would replace it) and asks
 * for no compression, as Spin's conformance runner does; a fresh connection each time.
 */
export function sendOverHttp(url: URL, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (!headers.has('accept-encoding')) headers.set('accept-encoding', 'identity');
  const body = typeof init.body === 'string' ? init.body : undefined;
  if (body !== undefined) headers.set('content-length', String(Buffer.byteLength(body)));
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: init.method ?? 'GET', headers: Object.fromEntries(headers), agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const out = new Headers();
        for (const [name, value] of Object.entries(res.headers)) for (const v of [value ?? []].flat()) out.append(name, v);
        const status = res.statusCode ?? 0;
        resolve(new Response(status === 204 || status === 304 ? null : Buffer.concat(chunks), { status, headers: out }));
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Headers of the connection, not of the answer: this client asks for a fresh connection each
 * time (`connection: close`), and a server may answer that it closes it, as workerd 1.20261117
 * does (1.20260426 did not): HTTP/1.1 leaves it to the server.
 */
const connectionHeaders = ['connection', 'keep-alive'];

async function expectExactly(res: Response, expected: Expected, hostHeaders: readonly string[] = []): Promise<void> {
  const body = await res.text();
  const headers = Object.fromEntries([...res.headers].filter(([name]) => name !== 'date' && !connectionHeaders.includes(name) && !hostHeaders.includes(name)));
  assert.deepEqual({ status: res.status, headers, body }, expected);
}

const empty = (status = 200): Expected => ({ status, headers: { 'content-length': '0' }, body: '' });
const plain = (body: string, status = 200, headers: Record<string, string> = {}): Expected => ({
  status,
  headers: { 'content-length': String(new TextEncoder().encode(body).length), ...headers },
  body,
});

export interface ConformanceOptions {
  /** The authority the app sees; `example.com` (sent as Host) unless the client cannot choose it. */
  authority?: string;
  /** Headers the host adds by design (the playground's preview adds its sandboxing CSP), left out of the comparison. */
  hostHeaders?: string[];
}

export function runConformanceContract(name: string, request: ConformanceRequest, upstream: string, options: ConformanceOptions = {}): void {
  const send = (path: string, init?: RequestInit) => request(path, init);
  const expectResponse = (res: Response, expected: Expected) => expectExactly(res, expected, options.hostHeaders);

  describe(`Spin conformance (${name})`, () => {
    test('request-shape: spin-* headers, URL and method as Spin gives them; an empty body is sent with content-length: 0', async () => {
      // Read when the test runs: a host may learn its authority only once it has started.
      const authority = options.authority ?? 'example.com';
      const headers = { 'user-agent': 'my-agent', accept: '*/*', host: authority, 'expected-authority': authority };
      await expectResponse(await send('/base/path/end/rest?key=value', { headers }), empty());
    });

    test('key-value: the granted store sets, gets, lists and deletes', async () => {
      await expectResponse(await send('/key-value/', { headers: { host: 'example.com' } }), empty());
    });

    test('key-value-no-permission: opening a store not granted is Error::AccessDenied', async () => {
      await expectResponse(await send('/key-value-no-permission/', { headers: { host: 'example.com' } }), plain('Error::AccessDenied', 500));
    });

    test('variables: component variables resolve from app variables; an undeclared one is Error::Undefined', async () => {
      await expectResponse(await send('/variables/', { headers: { host: 'example.com' } }), plain('Error::Undefined'));
    });

    test('outbound-wasi-http: an allowed host (named through an app variable) answers through the component', async () => {
      const res = await send('/outbound/', { headers: { url: `http://${upstream}/` } });
      await expectResponse(res, plain('Hello, world!', 200, { 'content-type': 'text/plain' }));
    });

    test('outbound-wasi-http-no-perms: a host not allowed is refused with HttpRequestDenied before the network', async () => {
      const res = await send('/outbound-no-permission/', { headers: { url: `http://${upstream}/` } });
      await expectResponse(res, plain(DENIED, 500));
    });

    test('Spin: a refused outbound request sent with a body answers at once: its pending response reads HttpRequestDenied', async () => {
      const res = await send('/outbound-no-permission/', { method: 'POST', body: 'payload', headers: { url: `http://${upstream}/` } });
      await expectResponse(res, plain(DENIED, 500));
    });

    test('Spin: http://self.alt (allowed by http://self) reaches the app itself in-process', async () => {
      const res = await send('/outbound/', { headers: { url: 'http://self.alt/variables/' } });
      await expectResponse(res, plain('Error::Undefined'));
    });

    test('Spin: http://<component>.spin.internal (allowed by http://*.spin.internal) chains to a private component in-process', async () => {
      const res = await send('/outbound/', { method: 'POST', body: 'ping', headers: { url: 'http://internal.spin.internal/some/path' } });
      await expectResponse(res, plain('chained POST /some/path ping'));
    });

    test('/.well-known/spin/health answers OK', async () => {
      const res = await send('/.well-known/spin/health');
      assert.equal(res.status, 200);
      assert.equal(await res.text(), 'OK');
    });

    test('/.well-known/spin/info names the app as Spin does; other paths there are 404', async () => {
      const info = await send('/.well-known/spin/info');
      assert.equal(info.status, 200);
      assert.equal(info.headers.get('content-type'), 'application/json');
      assert.equal(await info.text(), '{\n  "name": "conformance"\n}');
      const other = await send('/.well-known/spin/status');
      assert.equal(other.status, 404);
      assert.equal(await other.text(), '');
    });
  });
}

/** The exact wasi:http error-code, as Spin's Rust probe prints it. */
const DENIED = 'ErrorCode::HttpRequestDenied';
