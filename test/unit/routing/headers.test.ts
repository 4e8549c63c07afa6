import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileRoutes } from '../../../shared/routing/router.ts';
import { socketAddress, spinHeaders, type SpinRequestContext } from '../../../shared/routing/headers.ts';

const ctx: SpinRequestContext = {
  fullUrl: 'https://fermyon.dev/foo/bar?key1=value1&key2=value2',
  clientAddr: '127.0.0.1:8777',
  basePath: '/',
};

/** Headers for `path` routed through a single route, as a name → value map. */
function headersFor(route: string, path: string, base?: string, context = ctx): Map<string, string> {
  const m = compileRoutes([{ route: { path: route } }], base).router.match(path);
  assert.ok(m, `${route} should match ${path}`);
  return new Map(spinHeaders(m, context));
}

test('spin-full-url is the URL the client asked for, query included', () => {
  assert.equal(headersFor('/foo/...', '/foo/bar').get('spin-full-url'), ctx.fullUrl);
});

test('spin-path-info is the wildcard tail, "" for an exact route', () => {
  assert.equal(headersFor('/foo/...', '/foo/bar').get('spin-path-info'), '/bar');
  assert.equal(headersFor('/foo/...', '/foo/bar/').get('spin-path-info'), '/bar/');
  assert.equal(headersFor('/foo', '/foo').get('spin-path-info'), '');
});

test('spin-matched-route is the full pattern with base and trailing /...', () => {
  assert.equal(headersFor('/foo/...', '/foo/bar').get('spin-matched-route'), '/foo/...');
  assert.equal(headersFor('/foo/:userid/...', '/foo/42/bar').get('spin-matched-route'), '/foo/:userid/...');
  assert.equal(headersFor('/foo/...', '/base/foo/bar', '/base').get('spin-matched-route'), '/base/foo/...');
});

test('spin-raw-component-route is the route as written', () => {
  assert.equal(headersFor('/foo/:userid/...', '/foo/42/bar').get('spin-raw-component-route'), '/foo/:userid/...');
  assert.equal(headersFor('/foo/...', '/base/foo', '/base').get('spin-raw-component-route'), '/foo/...');
});

test('spin-component-route is the route as written without /... and without the base', () => {
  assert.equal(headersFor('/foo/...', '/foo/bar').get('spin-component-route'), '/foo');
  assert.equal(headersFor('/foo/:userid/...', '/foo/42/bar').get('spin-component-route'), '/foo/:userid');
  assert.equal(headersFor('/foo/...', '/base/foo/bar', '/base').get('spin-component-route'), '/foo');
  assert.equal(headersFor('/...', '/x').get('spin-component-route'), '');
  assert.equal(headersFor('/exact', '/exact').get('spin-component-route'), '/exact');
});

test('spin-base-path is the context base path', () => {
  assert.equal(headersFor('/foo', '/foo').get('spin-base-path'), '/');
  assert.equal(headersFor('/foo', '/api/foo', '/api', { ...ctx, basePath: '/api' }).get('spin-base-path'), '/api');
});

test('spin-client-addr is the client socket address', () => {
  assert.equal(headersFor('/foo', '/foo').get('spin-client-addr'), '127.0.0.1:8777');
});

test("spin-client-addr is the client's socket address as Spin prints it: ip:port, an IPv6 address in brackets, port 0 where the host knows no port", () => {
  assert.equal(socketAddress('203.0.113.9', 51234), '203.0.113.9:51234');
  assert.equal(socketAddress('2001:db8::1', 51234), '[2001:db8::1]:51234');
  // workerd gives a Worker the client's IP alone (CF-Connecting-IP).
  assert.equal(socketAddress('2001:db8::1'), '[2001:db8::1]:0');
  assert.equal(headersFor('/foo', '/foo', undefined, { ...ctx, clientAddr: socketAddress('::1', 40000) }).get('spin-client-addr'), '[::1]:40000');
});

test('spin-path-match-<name> carries each capture, underscores as hyphens, lower case', () => {
  const h = headersFor('/users/:user_id/posts/:postId', '/users/7/posts/abc');
  assert.equal(h.get('spin-path-match-user-id'), '7');
  assert.equal(h.get('spin-path-match-postid'), 'abc');
});

test('no spin-path-match header without captures, and every name is lowercase', () => {
  const m = compileRoutes([{ route: { path: '/Foo/...' } }]).router.match('/Foo/x');
  assert.ok(m);
  const headers = spinHeaders(m, ctx);
  assert.deepEqual(
    headers.map(([name]) => name),
    [
      'spin-path-info',
      'spin-full-url',
      'spin-matched-route',
      'spin-base-path',
      'spin-raw-component-route',
      'spin-component-route',
      'spin-client-addr',
    ],
  );
});
