/**
 * Spin's HTTP routing: which trigger answers a path, and what it captured.
 *
 * Follows Spin (`spin-http`'s `routes.rs`, which uses the `routefinder` 0.5 crate) exactly:
 * an exact route beats a wildcard; segment by segment, a literal beats a `:param`, which beats a
 * wildcard; `/...` (or `/*`) also matches its bare prefix; leading and trailing slashes of the
 * path are ignored (`/foo` answers `/foo/`); the path is matched as received, never
 * percent-decoded. Routes compile into a segment trie, so a match costs about the same for one
 * route as for thousands.
 */
import { btreeOrder } from './btree-order.ts';
import {
  compareSpecificity,
  matchTokens,
  parseSpec,
  segmentPatterns,
  trimSlashes,
  type SegmentPattern,
  type Token,
  type TokenKind,
} from './route-spec.ts';

/** The part of an HTTP trigger the router reads; `shared/manifest`'s `HttpTrigger` fits it. */
export interface RoutableTrigger {
  readonly route: { readonly path: string } | { readonly private: boolean };
}

export interface RouteMatch<T> {
  /** The trigger that won. */
  trigger: T;
  /** The route as written in the manifest, e.g. "/users/:id/..." (Spin's spin-raw-component-route). */
  rawRoute: string;
  /**
   * The route with the base path and without a trailing `/...`, e.g. "/users/:id". Not Spin's
   * spin-component-route, which has no base: see `headers.ts`.
   */
  componentRoute: string;
  /** The full route pattern including base, e.g. "/base/users/:id/..." (Spin's spin-matched-route; "" for route "/"). */
  matchedRoute: string;
  /** Path matched by the tail wildcard, keeping a trailing slash; "" for exact routes. */
  pathInfo: string;
  /** Captured `:name` segments, by name as written, still percent-encoded. */
  params: Record<string, string>;
}

export interface Router<T> {
  /** The best route for a URL path (as received: not decoded, no query), or undefined for a 404. */
  match(path: string): RouteMatch<T> | undefined;
  /** How many routes the router holds (private, invalid and replaced duplicate routes excluded). */
  readonly routes: number;
}

export interface CompiledRoutes<T> {
  router: Router<T>;
  /** The same route written twice: `second` replaced `first` (Spin logs these and keeps the last). */
  duplicates: Array<{ route: string; first: T; second: T }>;
  /** Routes Spin would refuse at startup (or crash on when reached); they are left out of the router. */
  invalid: Array<{ route: string; trigger: T; reason: string }>;
}

interface CompiledRoute<T> {
  readonly trigger: T;
  /** Position in routefinder's route order: among routes that match, the lowest wins. */
  rank: number;
  readonly rawRoute: string;
  readonly basedRoute: string;
  readonly kinds: readonly TokenKind[];
  readonly dots: number;
  readonly paramNames: readonly string[];
  readonly hasWildcard: boolean;
}

/** A wildcard route hanging off a trie node: `pattern` is set for a complex tail like `:name.*`. */
interface Tail<T> {
  readonly route: CompiledRoute<T>;
  readonly pattern?: readonly Token[];
}

interface TrieNode<T> {
  readonly literals: Map<string, TrieNode<T>>;
  param: TrieNode<T> | undefined;
  readonly complex: Array<{ tokens: readonly Token[]; node: TrieNode<T> }>;
  /** Routes that end exactly at this depth. */
  readonly ends: Array<CompiledRoute<T>>;
  /** Wildcard routes whose fixed part ends at this depth. */
  readonly tails: Array<Tail<T>>;
}

interface Candidate<T> {
  route: CompiledRoute<T>;
  captures: string[];
  wildcard: string | undefined;
}

const newNode = <T>(): TrieNode<T> => ({ literals: new Map(), param: undefined, complex: [], ends: [], tails: [] });

/** Compiles the HTTP triggers' routes, in manifest order, under the application's base path. */
export function compileRoutes<T extends RoutableTrigger>(triggers: readonly T[], basePath = '/'): CompiledRoutes<T> {
  const duplicates: CompiledRoutes<T>['duplicates'] = [];
  const invalid: CompiledRoutes<T>['invalid'] = [];
  // Keyed by the route as written, like Spin: a later trigger replaces the earlier one in place.
  const byRawRoute = new Map<string, T>();
  for (const trigger of triggers) {
    const route = trigger.route;
    if (!('path' in route)) {
      if (!route.private) invalid.push({ route: '{ private = false }', trigger, reason: "route must be a path or '{ private = true }'" });
      continue;
    }
    const replaced = byRawRoute.get(route.path);
    if (replaced !== undefined) duplicates.push({ route: withBase(basePath, route.path) || '/', first: replaced, second: trigger });
    byRawRoute.set(route.path, trigger);
  }

  const root = newNode<T>();
  const compiledRoutes: Array<CompiledRoute<T>> = [];
  for (const [rawRoute, trigger] of byRawRoute) {
    const basedRoute = withBase(basePath, rawRoute);
    const parsed = parseSpec(basedRoute.endsWith('/...') ? `${basedRoute.slice(0, -4)}/*` : basedRoute);
    const patterns = parsed.ok ? segmentPatterns(parsed.tokens) : undefined;
    if (!parsed.ok || !patterns) {
      invalid.push({ route: rawRoute, trigger, reason: parsed.ok ? 'a wildcard must end the route' : parsed.reason });
      continue;
    }
    const compiled: CompiledRoute<T> = {
      trigger,
      rank: 0,
      rawRoute,
      basedRoute,
      kinds: parsed.tokens.map((t) => t.kind),
      dots: parsed.tokens.filter((t) => t.kind === 'dot').length,
      paramNames: parsed.tokens.flatMap((t) => (t.kind === 'param' ? [t.name] : [])),
      hasWildcard: parsed.tokens.some((t) => t.kind === 'wildcard'),
    };
    compiledRoutes.push(compiled);
    insert(root, patterns, compiled);
  }
  const ordered = btreeOrder(compiledRoutes, (a, b) => compareSpecificity(a.kinds, a.dots, b.kinds, b.dots));
  ordered.forEach((route, rank) => {
    route.rank = rank;
  });

  return { router: { match: (path) => match(root, path), routes: compiledRoutes.length }, duplicates, invalid };
}

/** Spin's `sanitize_with_base`: an absolute route, with one trailing slash dropped from base and route. */
function withBase(base: string, route: string): string {
  const absolute = route.startsWith('/') ? route : `/${route}`;
  return dropTrailingSlash(base) + dropTrailingSlash(absolute);
}

function dropTrailingSlash(s: string): string {
  return s.endsWith('/') ? s.slice(0, -1) : s;
}

function insert<T>(root: TrieNode<T>, patterns: readonly SegmentPattern[], route: CompiledRoute<T>): void {
  let node = root;
  for (const pattern of patterns) {
    switch (pattern.kind) {
      case 'wildcard':
        node.tails.push({ route });
        return;
      case 'complex':
        if (pattern.endsInWildcard) {
          node.tails.push({ route, pattern: pattern.tokens });
          return;
        }
        node = complexChild(node, pattern.tokens);
        break;
      case 'param':
        node = node.param ??= newNode();
        break;
      case 'literal': {
        let next = node.literals.get(pattern.text);
        if (!next) node.literals.set(pattern.text, (next = newNode()));
        node = next;
        break;
      }
    }
  }
  node.ends.push(route);
}

function complexChild<T>(node: TrieNode<T>, tokens: readonly Token[]): TrieNode<T> {
  const key = JSON.stringify(tokens);
  const existing = node.complex.find((c) => JSON.stringify(c.tokens) === key);
  if (existing) return existing.node;
  const child = newNode<T>();
  node.complex.push({ tokens, node: child });
  return child;
}

/** The path split into segments, kept as offsets so a wildcard can take the rest without joining. */
interface SplitPath {
  readonly trimmed: string;
  readonly segments: readonly string[];
  readonly starts: readonly number[];
}

function split(path: string): SplitPath {
  const trimmed = trimSlashes(path);
  const segments: string[] = [];
  const starts: number[] = [];
  if (trimmed !== '') {
    let start = 0;
    for (;;) {
      const slash = trimmed.indexOf('/', start);
      starts.push(start);
      segments.push(slash === -1 ? trimmed.slice(start) : trimmed.slice(start, slash));
      if (slash === -1) break;
      start = slash + 1;
    }
  }
  return { trimmed, segments, starts };
}

function match<T>(root: TrieNode<T>, path: string): RouteMatch<T> | undefined {
  const p = split(path);
  const found: Array<Candidate<T>> = [];
  collect(root, p, 0, [], found);
  let best: Candidate<T> | undefined;
  for (const candidate of found) if (!best || candidate.route.rank < best.route.rank) best = candidate;
  return best && toMatch(best, path);
}

/** Depth-first: every route matching the path from `node` on lands in `found`. */
function collect<T>(node: TrieNode<T>, p: SplitPath, depth: number, captures: string[], found: Array<Candidate<T>>): void {
  const atEnd = depth === p.segments.length;
  for (const tail of node.tails) {
    const rest = atEnd ? '' : p.trimmed.slice(p.starts[depth]);
    if (!tail.pattern) {
      found.push({ route: tail.route, captures: captures.slice(), wildcard: rest });
      continue;
    }
    const tailCaptures = captures.slice();
    if (matchTokens(tail.pattern, rest, true, tailCaptures)) {
      const wildcard = tailCaptures.pop();
      found.push({ route: tail.route, captures: tailCaptures, wildcard });
    }
  }
  if (atEnd) {
    for (const route of node.ends) found.push({ route, captures: captures.slice(), wildcard: undefined });
    return;
  }
  const segment = p.segments[depth]!;
  const literal = node.literals.get(segment);
  if (literal) collect(literal, p, depth + 1, captures, found);
  if (node.param) {
    captures.push(segment);
    collect(node.param, p, depth + 1, captures, found);
    captures.pop();
  }
  const isLast = depth === p.segments.length - 1;
  for (const { tokens, node: child } of node.complex) {
    const before = captures.length;
    if (matchTokens(tokens, segment, isLast, captures)) collect(child, p, depth + 1, captures, found);
    captures.length = before;
  }
}

function toMatch<T>({ route, captures, wildcard }: Candidate<T>, path: string): RouteMatch<T> {
  const params: Record<string, string> = {};
  route.paramNames.forEach((name, i) => {
    // defineProperty, so a param named `__proto__` stays a plain entry; a repeated name keeps the last.
    Object.defineProperty(params, name, { value: captures[i] ?? '', enumerable: true, writable: true, configurable: true });
  });
  return {
    trigger: route.trigger,
    rawRoute: route.rawRoute,
    componentRoute: route.basedRoute.endsWith('/...') ? route.basedRoute.slice(0, -4) : route.basedRoute,
    matchedRoute: route.basedRoute,
    pathInfo: route.hasWildcard ? pathInfo(wildcard ?? '', path.endsWith('/')) : '',
    params,
  };
}

/** Spin keeps the slashes around the wildcard's capture that routefinder trims. */
function pathInfo(captured: string, trailingSlash: boolean): string {
  if (captured === '') return trailingSlash ? '/' : '';
  return trailingSlash ? `/${captured}/` : `/${captured}`;
}
