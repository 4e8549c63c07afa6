/** A path into the manifest document: table keys and array-of-tables indices. */
export type FieldPath = readonly (string | number)[];

/** `trigger.http[2].route`, `component.hello.source`. */
export function formatField(path: FieldPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += (out ? '.' : '') + (/^[A-Za-z0-9_-]+$/.test(part) ? part : JSON.stringify(part));
  }
  return out;
}

interface Entry {
  path: FieldPath;
  line: number;
}

interface ScanState {
  /** Closing delimiter of the multi-line string we are inside, if any. */
  multiline?: '"""' | "'''";
  /** Depth of open `[` / `{` in a value that spans lines. */
  depth: number;
}

/**
 * Where table headers and keys sit in the manifest text. smol-toml gives no positions for
 * values, so this scans the text the way TOML reads it, well enough to point at a line.
 */
export class SourceMap {
  readonly #lines: string[];
  readonly #entries: Entry[];

  private constructor(lines: string[], entries: Entry[]) {
    this.#lines = lines;
    this.#entries = entries;
  }

  static scan(text: string): SourceMap {
    const lines = text.split(/\r?\n/);
    const entries: Entry[] = [];
    const arrayCounts = new Map<string, number>();
    const state: ScanState = { depth: 0 };
    let table: FieldPath = [];
    lines.forEach((raw, i) => {
      if (state.multiline || state.depth > 0) {
        scanValue(raw, 0, state);
        return;
      }
      const text = raw.trimStart();
      if (text.startsWith('[')) {
        const header = parseHeader(text);
        if (!header) return;
        table = resolveHeader(header.keys, header.array, arrayCounts);
        entries.push({ path: table, line: i + 1 });
        return;
      }
      if (text === '' || text.startsWith('#')) return;
      const key = parseKey(text);
      if (!key) return;
      entries.push({ path: [...table, ...key.keys], line: i + 1 });
      scanValue(text, key.end, state);
    });
    return new SourceMap(lines, entries);
  }

  /** 1-based line of the deepest header or key on `path`, if any is written in the text. */
  lineOf(path: FieldPath): number | undefined {
    let best: Entry | undefined;
    for (const entry of this.#entries) {
      if (entry.path.length > path.length || (best && entry.path.length <= best.path.length)) continue;
      if (entry.path.every((part, i) => part === path[i])) best = entry;
    }
    return best?.line;
  }

  lineText(line: number | undefined): string | undefined {
    return line === undefined ? undefined : this.#lines[line - 1];
  }
}

function resolveHeader(keys: string[], array: boolean, arrayCounts: Map<string, number>): FieldPath {
  const path: (string | number)[] = [];
  keys.forEach((key, i) => {
    path.push(key);
    const id = JSON.stringify(path);
    if (array && i === keys.length - 1) {
      const count = (arrayCounts.get(id) ?? 0) + 1;
      arrayCounts.set(id, count);
      path.push(count - 1);
      return;
    }
    // A sub-table of an array of tables belongs to its latest element.
    const count = arrayCounts.get(id);
    if (count !== undefined) path.push(count - 1);
  });
  return path;
}

function parseHeader(text: string): { keys: string[]; array: boolean } | undefined {
  const array = text.startsWith('[[');
  const parsed = parseKeyPath(text, array ? 2 : 1, array ? ']]' : ']');
  return parsed ? { keys: parsed.keys, array } : undefined;
}

function parseKey(text: string): { keys: string[]; end: number } | undefined {
  return parseKeyPath(text, 0, '=');
}

/** Reads `a."b.c".d` from `start` up to the terminator; undefined when it is not a key. */
function parseKeyPath(text: string, start: number, terminator: string): { keys: string[]; end: number } | undefined {
  const keys: string[] = [];
  let current = '';
  let i = start;
  while (i < text.length) {
    const ch = text[i] as string;
    if (text.startsWith(terminator, i)) {
      keys.push(current.trim());
      return { keys, end: i + terminator.length };
    }
    if (ch === '"' || ch === "'") {
      const close = text.indexOf(ch, i + 1);
      if (close < 0) return undefined;
      current += text.slice(i + 1, close);
      i = close + 1;
      continue;
    }
    if (ch === '.') {
      keys.push(current.trim());
      current = '';
    } else {
      current += ch;
    }
    i++;
  }
  return undefined;
}

/** Follows strings, comments and brackets in a value so multi-line values are skipped. */
function scanValue(text: string, start: number, state: ScanState): void {
  let i = start;
  while (i < text.length) {
    if (state.multiline) {
      const close = text.indexOf(state.multiline, i);
      if (close < 0) return;
      state.multiline = undefined;
      i = close + 3;
      continue;
    }
    const ch = text[i];
    if (ch === '#') return;
    if (text.startsWith('"""', i) || text.startsWith("'''", i)) {
      state.multiline = text.slice(i, i + 3) as '"""' | "'''";
      i += 3;
    } else if (ch === '"' || ch === "'") {
      i = skipString(text, i, ch);
    } else {
      if (ch === '[' || ch === '{') state.depth++;
      else if ((ch === ']' || ch === '}') && state.depth > 0) state.depth--;
      i++;
    }
  }
}

function skipString(text: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < text.length && text[i] !== quote) i += quote === '"' && text[i] === '\\' ? 2 : 1;
  return i + 1;
}
