import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileRoutes, type RoutableTrigger } from '../../../shared/routing/router.ts';

interface Trigger extends RoutableTrigger {
  id: string;
  staticResponse?: { status: number; headers: Record<string, string>; body?: string };
}

const at = (path: string, id = path): Trigger => ({ id, route: { path } });
const privateTrigger = (id: string): Trigger => ({ id, route: { private: true } });

function routerOf(triggers: Trigger[], base?: string) {
  return compileRoutes(triggers, base).router;
}

/** The id of the trigger that answers `path`, or undefined for a 404. */
function winner(triggers: Trigger[], path: string, base?: string): string | undefined {
  return routerOf(triggers, base).match(path)?.trigger.id;
}

test('exact route beats wildcard', () => {
  const triggers = [at('/...', 'all'), at('/one', 'one'), at('/one/...', 'one-wild')];
  assert.equal(winner(triggers, '/one'), 'one');
  assert.equal(winner(triggers, '/one/two'), 'one-wild');
  assert.equal(winner(triggers, '/two'), 'all');
});

test('longest wildcard prefix wins, whatever the order', () => {
  const routes = [at('/one/...'), at('/one/two/...'), at('/one/two/three/...')];
  assert.equal(winner(routes, '/one/two/three/four'), '/one/two/three/...');
  assert.equal(winner([...routes].reverse(), '/one/two/three/four'), '/one/two/three/...');
  assert.equal(winner(routes, '/one/two/x'), '/one/two/...');
});

test('tail wildcard matches its bare prefix', () => {
  const router = routerOf([at('/foo/...')]);
  for (const path of ['/foo', '/foo/', '/foo/bar', '/foo/bar/baz']) {
    assert.equal(router.match(path)?.trigger.id, '/foo/...', path);
  }
  assert.equal(router.match('/foobar'), undefined);
  assert.equal(router.match('/fo'), undefined);
});

test('/* is a tail wildcard like /...', () => {
  const router = routerOf([at('/foo/*')]);
  assert.equal(router.match('/foo')?.pathInfo, '');
  assert.equal(router.match('/foo/a/b')?.pathInfo, '/a/b');
  assert.equal(router.match('/foox'), undefined);
});

test('path info keeps a trailing slash', () => {
  const router = routerOf([at('/foo/...')]);
  assert.equal(router.match('/foo')?.pathInfo, '');
  assert.equal(router.match('/foo/')?.pathInfo, '/');
  assert.equal(router.match('/foo/a/b')?.pathInfo, '/a/b');
  assert.equal(router.match('/foo/a/b/')?.pathInfo, '/a/b/');
  assert.equal(routerOf([at('/...')]).match('/')?.pathInfo, '/');
  assert.equal(routerOf([at('/...')]).match('/1/2/3')?.pathInfo, '/1/2/3');
});

test('exact route has empty path info', () => {
  assert.equal(routerOf([at('/foo')]).match('/foo')?.pathInfo, '');
});

test('private route is not routable', () => {
  const { router, invalid } = compileRoutes([at('/', 'root'), privateTrigger('hidden'), at('/whee/...', 'whee')]);
  assert.equal(router.routes, 2);
  assert.equal(invalid.length, 0);
  assert.equal(router.match('/hidden'), undefined);
  assert.equal(router.match('/')?.trigger.id, 'root');
});

test('{ private = false } is reported invalid', () => {
  const bad: Trigger = { id: 'bad', route: { private: false } };
  const { router, invalid } = compileRoutes([bad, at('/a')]);
  assert.equal(router.routes, 1);
  assert.equal(invalid[0]?.trigger, bad);
});

test('duplicate route: last one wins and is reported', () => {
  const first = at('/foo', 'first');
  const second = at('/foo', 'second');
  const third = at('/foo', 'third');
  const { router, duplicates } = compileRoutes([at('/', 'root'), first, second, at('/whee/...'), third]);
  assert.equal(router.routes, 3);
  assert.equal(router.match('/foo')?.trigger.id, 'third');
  assert.deepEqual(duplicates, [
    { route: '/foo', first, second },
    { route: '/foo', first: second, second: third },
  ]);
});

test('duplicate of the root route is reported as "/"', () => {
  const { duplicates } = compileRoutes([at('/', 'a'), at('/', 'b')]);
  assert.equal(duplicates[0]?.route, '/');
});

test('equivalent routes written differently: the first one wins, no duplicate reported', () => {
  // Spin keys duplicates by the route as written; routefinder then keeps the earlier of two equal specs.
  const { router, duplicates } = compileRoutes([at('/foo', 'a'), at('/foo/', 'b'), at('foo', 'c')]);
  assert.equal(duplicates.length, 0);
  assert.equal(router.match('/foo')?.trigger.id, 'a');
});

test('named segment captured', () => {
  const router = routerOf([at('/users/:id'), at('/1/:two/...')]);
  const m = router.match('/users/42');
  assert.equal(m?.trigger.id, '/users/:id');
  assert.deepEqual(m?.params, { id: '42' });
  assert.deepEqual(router.match('/1/2/3')?.params, { two: '2' });
  assert.equal(router.match('/users'), undefined);
  assert.equal(router.match('/users/42/x'), undefined);
});

test('literal segment beats a capture, the first difference deciding', () => {
  const triggers = [at('/users/:id', 'param'), at('/users/me', 'literal'), at('/:any/me/...', 'front-param')];
  assert.equal(winner(triggers, '/users/me'), 'literal');
  assert.equal(winner(triggers, '/users/you'), 'param');
  // routefinder compares left to right: a literal first segment beats an earlier capture even against a wildcard tail.
  assert.equal(winner([at('/:a', 'param'), at('/foo/...', 'wild')], '/foo'), 'wild');
});

test('capture beats wildcard', () => {
  assert.equal(winner([at('/...', 'wild'), at('/:x', 'param')], '/hey'), 'param');
  assert.equal(winner([at('/...', 'wild'), at('/:x', 'param')], '/hey/there'), 'wild');
});

test('equally specific captures: the route written first wins', () => {
  assert.equal(winner([at('/:a', 'a'), at('/:b', 'b')], '/x'), 'a');
  assert.equal(winner([at('/:b', 'b'), at('/:a', 'a')], '/x'), 'b');
});

test('repeated param name keeps the last capture', () => {
  assert.deepEqual(routerOf([at('/:a/:a')]).match('/1/2')?.params, { a: '2' });
});

test('param with a dot suffix, as routefinder reads it', () => {
  const router = routerOf([at('/files/:name.json', 'json'), at('/files/:name', 'any')]);
  assert.equal(router.match('/files/report.json')?.trigger.id, 'json');
  assert.deepEqual(router.match('/files/report.json')?.params, { name: 'report' });
  assert.equal(router.match('/files/report.txt')?.trigger.id, 'any');
  // routefinder does not backtrack: the capture stops at the first dot.
  assert.equal(router.match('/files/a.b.json')?.trigger.id, 'any');
});

test('literal with dots matches only itself', () => {
  const router = routerOf([at('/favicon.ico'), at('/.well-known/thing')]);
  assert.equal(router.match('/favicon.ico')?.trigger.id, '/favicon.ico');
  assert.equal(router.match('/faviconxico'), undefined);
  assert.equal(router.match('/.well-known/thing')?.trigger.id, '/.well-known/thing');
});

test('base path prefixes every route', () => {
  const router = routerOf([at('/foo'), at('/bar/...')], '/base');
  assert.equal(router.match('/base/foo')?.trigger.id, '/foo');
  assert.equal(router.match('/foo'), undefined);
  const m = router.match('/base/bar/x');
  assert.equal(m?.matchedRoute, '/base/bar/...');
  assert.equal(m?.componentRoute, '/base/bar');
  assert.equal(m?.rawRoute, '/bar/...');
  assert.equal(m?.pathInfo, '/x');
});

test('base path with a trailing slash is the same base', () => {
  assert.equal(routerOf([at('/foo')], '/base/').match('/base/foo')?.matchedRoute, '/base/foo');
});

test('route "/" matches only the root and its matched route is empty, as in Spin', () => {
  const router = routerOf([at('/')]);
  assert.equal(router.match('/')?.matchedRoute, '');
  assert.equal(router.match('/')?.componentRoute, '');
  assert.equal(router.match('/x'), undefined);
});

test('unmatched path is undefined', () => {
  const router = routerOf([at('/a'), at('/b/...'), at('/c/:d')]);
  assert.equal(router.match('/nope'), undefined);
  assert.equal(router.match('/c'), undefined);
  assert.equal(routerOf([]).match('/'), undefined);
});

test('static-response trigger matched like any other', () => {
  const teapot: Trigger = { id: 'teapot', route: { path: '/tea' }, staticResponse: { status: 418, headers: {} } };
  const m = routerOf([at('/...', 'all'), teapot]).match('/tea');
  assert.equal(m?.trigger, teapot);
});

test('trailing and repeated slashes around the path are ignored', () => {
  const router = routerOf([at('/foo')]);
  for (const path of ['/foo', '/foo/', '/foo//', '//foo']) assert.equal(router.match(path)?.trigger.id, '/foo', path);
});

test('an empty segment inside the path can be captured, not skipped', () => {
  const router = routerOf([at('/a/:x/b'), at('/a/b')]);
  assert.deepEqual(router.match('/a//b')?.params, { x: '' });
});

test('percent-encoding is matched as received, never decoded', () => {
  const router = routerOf([at('/caf%C3%A9'), at('/a/:x')]);
  assert.equal(router.match('/caf%C3%A9')?.trigger.id, '/caf%C3%A9');
  assert.equal(router.match('/café'), undefined);
  assert.deepEqual(router.match('/a/b%2Fc')?.params, { x: 'b%2Fc' });
  assert.deepEqual(router.match('/a/%E0%A4%A')?.params, { x: '%E0%A4%A' });
});

test('invalid route specs are reported and left out', () => {
  const { router, invalid } = compileRoutes([at('/a/:'), at('/b/*rest'), at('/c/*/d'), at('/ok')]);
  assert.deepEqual(invalid.map((i) => i.route), ['/a/:', '/b/*rest', '/c/*/d']);
  assert.equal(router.routes, 1);
});

test('router holds routes, each distinct raw route once', () => {
  assert.equal(compileRoutes([at('/a'), at('/a'), at('/b/...')]).router.routes, 2);
});

test('a thousand routes still match the right one', () => {
  const triggers = Array.from({ length: 1000 }, (_, i) => at(i % 3 === 0 ? `/r${i}/...` : i % 3 === 1 ? `/r${i}` : `/r${i}/:id`));
  const router = routerOf(triggers);
  assert.equal(router.match('/r999/x/y')?.trigger.id, '/r999/...');
  assert.equal(router.match('/r997')?.trigger.id, '/r997');
  assert.deepEqual(router.match('/r998/7')?.params, { id: '7' });
  assert.equal(router.match('/r1000'), undefined);
});

test('routefinder order quirk: with dotted params, the order routes were written in can decide', () => {
  // "/" and "//" are the same route; "/:n.:m" and "/a" between them make routefinder's order cyclic.
  const triggers = [at('/', 'first'), at('/:n.:m', 'dots'), at('/a', 'a'), at('//', 'second')];
  assert.equal(winner(triggers, '/'), 'second');
  assert.equal(winner([at('/', 'first'), at('//', 'second')], '/'), 'first');
});
