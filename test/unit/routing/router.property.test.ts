import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileRoutes } from '../../../shared/routing/router.ts';

/**
 * A slow reference for Spin's routing, written apart from the trie: each route becomes a regular
 * expression over the slash-trimmed path, routes are kept in routefinder's order (a sorted list
 * built by insertion, as its BTreeMap does) and the first that matches wins.
 */
type Kind = 'S' | 'D' | 'E' | 'P' | 'W';
type Tok = { kind: Kind; text: string };

const KIND_ORDER: Record<Kind, Record<Kind, number>> = {
  S: { S: 0, D: 0, E: -1, P: -1, W: -1 },
  D: { S: 0, D: 0, E: 1, P: 1, W: 1 },
  E: { S: 1, D: 1, E: 0, P: 1, W: 1 },
  P: { S: 1, D: 1, E: -1, P: 0, W: 1 },
  W: { S: 1, D: 1, E: -1, P: -1, W: 0 },
};

interface RefRoute {
  id: string;
  raw: string;
  based: string;
  toks: Tok[];
  regex: RegExp;
  names: string[];
}

interface RefMatch {
  id: string;
  params: Record<string, string>;
  pathInfo: string;
  matchedRoute: string;
  rawRoute: string;
}

function refTokens(spec: string): Tok[] | undefined {
  const t = spec.replace(/^\/+/, '').replace(/\/+$/, '');
  const toks: Tok[] = [];
  const cuts = [...t.matchAll(/[./]/g)].map((m) => m.index);
  cuts.push(t.length);
  let from = 0;
  for (const cut of cuts) {
    const sep = from === 0 ? '' : t[from - 1];
    const sec = t.slice(from, cut);
    from = cut + 1;
    if (sec.startsWith('*') && sec !== '*') return undefined;
    if (sec === ':') return undefined;
    if (sep === '.') {
      const prev = toks.at(-1);
      if (prev?.kind === 'E') prev.text += '.';
      else toks.push({ kind: 'D', text: '.' });
    }
    if (sec === '') continue;
    if (sep === '/') toks.push({ kind: 'S', text: '/' });
    if (sec === '*') toks.push({ kind: 'W', text: '' });
    else if (sec.startsWith(':')) toks.push({ kind: 'P', text: sec.slice(1) });
    else toks.push({ kind: 'E', text: sec });
  }
  return toks;
}

function refRegex(toks: Tok[]): RegExp {
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  let src = '^';
  toks.forEach((tok, i) => {
    const next = toks[i + 1]?.kind;
    if (tok.kind === 'E') src += escape(tok.text);
    else if (tok.kind === 'D') src += '\\.';
    else if (tok.kind === 'S') src += next === 'W' ? '(?:\\/|$)' : '\\/';
    else if (tok.kind === 'P') src += next === 'D' ? '(?=[^])([^./]*)(?=\\.)' : '(?=[^])([^/]*)';
    else src += '([^]*)';
  });
  return new RegExp(`${src}\\/?$`);
}

/** routefinder's RouteSpec order: < 0 when `a` goes first; ties go after (never equal). */
function refOrder(a: Tok[], b: Tok[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = KIND_ORDER[a[i]!.kind][b[i]!.kind];
    if (c !== 0) return -c;
  }
  const dots = (ts: Tok[]) => ts.filter((x) => x.kind === 'D').length;
  const c = Math.sign(dots(a) - dots(b)) || Math.sign(b.length - a.length) || -1;
  return -c;
}

function refRouter(triggers: Trigger[], base: string): (path: string) => RefMatch | undefined {
  const byRaw = new Map<string, string>();
  for (const t of triggers) if ('path' in t.route) byRaw.set(t.route.path, t.id);
  const sorted: RefRoute[] = [];
  for (const [raw, id] of byRaw) {
    const based = base.replace(/\/$/, '') + (raw.startsWith('/') ? raw : `/${raw}`).replace(/\/$/, '');
    const toks = refTokens(based.endsWith('/...') ? `${based.slice(0, -4)}/*` : based);
    if (!toks || toks.slice(0, -1).some((x) => x.kind === 'W')) continue;
    const route = { id, raw, based, toks, regex: refRegex(toks), names: toks.filter((x) => x.kind === 'P').map((x) => x.text) };
    const at = sorted.findIndex((existing) => refOrder(route.toks, existing.toks) < 0);
    sorted.splice(at === -1 ? sorted.length : at, 0, route);
  }
  return (path) => {
    const trimmed = path.replace(/^\/+/, '').replace(/\/+$/, '');
    for (const r of sorted) {
      const m = r.regex.exec(trimmed);
      if (!m) continue;
      const params: Record<string, string> = {};
      r.names.forEach((n, i) => Object.defineProperty(params, n, { value: m[i + 1], enumerable: true, writable: true, configurable: true }));
      const hasWild = r.toks.some((x) => x.kind === 'W');
      const w = hasWild ? (m[r.names.length + 1] ?? '') : '';
      const slash = path.endsWith('/') ? '/' : '';
      const pathInfo = !hasWild ? '' : w === '' ? slash : `/${w}${slash}`;
      return { id: r.id, params, pathInfo, matchedRoute: r.based, rawRoute: r.raw };
    }
    return undefined;
  };
}

interface Trigger {
  id: string;
  route: { path: string } | { private: true };
}

const literal = fc.constantFrom('a', 'b', 'ab', 'a.b', 'x.', 'a..b', '%2F', '%', 'é', 'users');
const param = fc.constantFrom(':id', ':a', ':user_id', ':n.json', ':n.:m', 'v.:n', ':__proto__');
const tail = fc.constantFrom('', '', '/...', '/*', '/:n.*', '/');
const routeText = fc
  .tuple(fc.array(fc.oneof(literal, literal, param), { maxLength: 4 }), tail, fc.constantFrom('/', '', '//'), fc.constantFrom('/', '/', '/', '//'))
  .map(([segs, end, lead, sep]) => lead + segs.join(sep) + end);
const triggers = fc
  .array(fc.oneof({ weight: 9, arbitrary: routeText.map((path) => ({ path })) }, { weight: 1, arbitrary: fc.constant({ private: true as const }) }), {
    minLength: 1,
    // Up to 11 routes, routefinder's BTreeMap is one node and its order is this insertion sort.
    maxLength: 11,
  })
  .map((routes) => routes.map((route, i): Trigger => ({ id: `t${i}`, route })));

const hostileSegment = fc.oneof(
  literal,
  fc.constantFrom('..', '.', '', 'json', 'n.json', 'v.1', '%E0%A4%A', '%FF%FE', '%%', '%zz', '\u0000', 'a.b.json', 'x.y'),
  fc.string({ maxLength: 6 }),
);
const path = fc.oneof(
  fc.tuple(fc.array(hostileSegment, { maxLength: 6 }), fc.constantFrom('', '/', '//')).map(([segs, end]) => `/${segs.join('/')}${end}`),
  fc.constantFrom('/', '//', '', '/'.repeat(50), `/${'a/'.repeat(5000)}`, `/${'%'.repeat(10_000)}`, `/${'x'.repeat(100_000)}`),
  fc.string({ maxLength: 40 }).map((s) => `/${s}`),
);

test('router agrees with a linear reference matcher on random routes and hostile paths', () => {
  let cases = 0;
  let hits = 0;
  fc.assert(
    fc.property(triggers, fc.constantFrom('/', '/api', '/api/'), fc.array(path, { minLength: 4, maxLength: 4 }), (ts, base, paths) => {
      const { router } = compileRoutes(ts, base);
      const reference = refRouter(ts, base);
      // Paths built from the routes' own shape hit far more often than random ones.
      const own = ts.flatMap((t) => ('path' in t.route ? [`${base}${t.route.path}`.replace(/:[a-z_]+/g, '7'), `${base}${t.route.path}/x/`] : []));
      for (const p of [...paths, ...own]) {
        const got = router.match(p);
        const want = reference(p);
        cases++;
        if (want) hits++;
        assert.deepEqual(
          got && { id: got.trigger.id, params: got.params, pathInfo: got.pathInfo, matchedRoute: got.matchedRoute, rawRoute: got.rawRoute },
          want,
          `path ${JSON.stringify(p.slice(0, 80))} on ${JSON.stringify(ts.map((t) => t.route))} base ${base}`,
        );
      }
    }),
    { numRuns: 1000 },
  );
  assert.ok(cases >= 2000, `only ${cases} cases`);
  assert.ok(hits >= cases / 10, `only ${hits} of ${cases} paths matched a route`);
});
