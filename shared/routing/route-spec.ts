/**
 * A route pattern as Spin's router (the `routefinder` 0.5 crate) reads it: a flat list of tokens,
 * the order of two patterns, and how a pattern matches text. `router.ts` indexes these in a trie.
 */

/** One piece of a pattern. Tokens never span a `/`, except a wildcard, which is always last. */
export type Token =
  | { readonly kind: 'slash' }
  | { readonly kind: 'dot' }
  | { readonly kind: 'exact'; readonly text: string }
  | { readonly kind: 'param'; readonly name: string }
  | { readonly kind: 'wildcard' };

export type TokenKind = Token['kind'];

/** Tokens of one path segment (between slashes), with what the trie needs to know about them. */
export type SegmentPattern =
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'param'; readonly name: string }
  | { readonly kind: 'wildcard' }
  /** Mixes params with dots (`:name.json`); may end in a wildcard (`:name.*`). */
  | { readonly kind: 'complex'; readonly tokens: readonly Token[]; readonly endsInWildcard: boolean };

export type ParseResult =
  | { readonly ok: true; readonly tokens: readonly Token[] }
  | { readonly ok: false; readonly reason: string };

const SLASH: Token = { kind: 'slash' };
const DOT: Token = { kind: 'dot' };
const WILDCARD: Token = { kind: 'wildcard' };

/** Strips every leading and trailing `/`, as routefinder does to both routes and paths. */
export function trimSlashes(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) === 47) start++;
  while (end > start && s.charCodeAt(end - 1) === 47) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

/**
 * Reads a routefinder route spec. Sections split on `/` and `.`; empty sections vanish, and a dot
 * joins the exact text before it (so `/a/.b` reads as `a.b` — routefinder's quirk, kept).
 */
export function parseSpec(spec: string): ParseResult {
  const trimmed = trimSlashes(spec);
  const tokens: Token[] = [];
  let start = 0;
  for (let i = 0; i <= trimmed.length; i++) {
    const c = trimmed[i];
    if (i < trimmed.length && c !== '/' && c !== '.') continue;
    const separator = start === 0 ? undefined : trimmed[start - 1];
    const section = trimmed.slice(start, i);
    start = i + 1;

    let token: Token | undefined;
    if (section === '*') token = WILDCARD;
    else if (section.startsWith('*')) return { ok: false, reason: `a wildcard has no name: replace \`${section}\` with \`*\`` };
    else if (section === ':') return { ok: false, reason: 'a `:` parameter needs a name' };
    else if (section.startsWith(':')) token = { kind: 'param', name: section.slice(1) };
    else if (section !== '') token = { kind: 'exact', text: section };

    if (separator === '.') {
      const last = tokens[tokens.length - 1];
      if (last?.kind === 'exact') tokens[tokens.length - 1] = { kind: 'exact', text: `${last.text}.` };
      else tokens.push(DOT);
    }
    if (token) {
      if (separator === '/') tokens.push(SLASH);
      tokens.push(token);
    }
  }
  return { ok: true, tokens };
}

/** Groups tokens into per-segment patterns; undefined if a wildcard is not the last token. */
export function segmentPatterns(tokens: readonly Token[]): SegmentPattern[] | undefined {
  const wildcardAt = tokens.findIndex((t) => t.kind === 'wildcard');
  if (wildcardAt !== -1 && wildcardAt !== tokens.length - 1) return undefined;
  const patterns: SegmentPattern[] = [];
  let group: Token[] = [];
  const flush = (): void => {
    if (group.length > 0) patterns.push(classify(group));
    group = [];
  };
  for (const token of tokens) {
    if (token.kind === 'slash') flush();
    else group.push(token);
  }
  flush();
  return patterns;
}

function classify(tokens: Token[]): SegmentPattern {
  const only = tokens.length === 1 ? tokens[0] : undefined;
  if (only?.kind === 'param') return { kind: 'param', name: only.name };
  if (only?.kind === 'wildcard') return { kind: 'wildcard' };
  if (tokens.every((t) => t.kind === 'exact' || t.kind === 'dot')) {
    return { kind: 'literal', text: tokens.map((t) => (t.kind === 'exact' ? t.text : '.')).join('') };
  }
  return { kind: 'complex', tokens, endsInWildcard: tokens[tokens.length - 1]?.kind === 'wildcard' };
}

/** routefinder's `Segment` order: exact > param > wildcard > slash/dot, with its asymmetries kept. */
function compareKinds(a: TokenKind, b: TokenKind): number {
  if (a === b) return 0;
  if ((a === 'slash' && b === 'dot') || (a === 'dot' && b === 'slash')) return 0;
  if (a === 'dot' || a === 'exact') return 1;
  if (a === 'param') return b === 'exact' ? -1 : 1;
  if (a === 'wildcard') return b === 'exact' || b === 'param' ? -1 : 1;
  return -1;
}

/**
 * Negative when `a` should win over `b`: routefinder's `RouteSpec` order. The first differing
 * token kind decides, then more dots, then fewer tokens. It never answers "equal": a tie counts
 * as `a` losing, so among equally specific routes the one added first wins.
 */
export function compareSpecificity(a: readonly TokenKind[], aDots: number, b: readonly TokenKind[], bDots: number): number {
  const n = Math.min(a.length, b.length);
  let order = 0;
  for (let i = 0; i < n && order === 0; i++) order = compareKinds(a[i]!, b[i]!);
  if (order === 0) order = Math.sign(aDots - bDots);
  if (order === 0) order = Math.sign(b.length - a.length);
  if (order === 0) order = -1;
  return -order;
}

/**
 * Matches tokens (no slash tokens) against the start of `text`, which must be consumed entirely.
 * `atPathEnd` says nothing follows `text` in the path: a param never matches at the very end.
 * Pushes captured param values, then the wildcard's capture last if there is one.
 */
export function matchTokens(tokens: readonly Token[], text: string, atPathEnd: boolean, captures: string[]): boolean {
  let pos = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    switch (token.kind) {
      case 'exact':
        if (!text.startsWith(token.text, pos)) return false;
        pos += token.text.length;
        break;
      case 'dot':
        if (text.charCodeAt(pos) !== 46) return false;
        pos++;
        break;
      case 'param': {
        if (pos === text.length && atPathEnd) return false;
        const slash = text.indexOf('/', pos);
        const stop = slash === -1 ? text.length : slash;
        if (tokens[i + 1]?.kind === 'dot') {
          const dot = text.indexOf('.', pos);
          if (dot === -1 || dot > stop) return false;
          captures.push(text.slice(pos, dot));
          pos = dot;
        } else {
          captures.push(text.slice(pos, stop));
          pos = stop;
        }
        break;
      }
      case 'wildcard':
        captures.push(text.slice(pos));
        pos = text.length;
        break;
      case 'slash':
        return false;
    }
  }
  return pos === text.length;
}
