/**
 * Reading a source map (version 3, as esbuild writes it) backwards: where in which source a
 * position of the bundle came from, so an error the engine reports in the bundle points at
 * the user's file.
 */

export interface SourceMapJson {
  version: number;
  sources: string[];
  mappings: string;
}

export interface OriginalPosition {
  source: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

/** One mapping: a generated column (0-based) and the source position it came from (0-based). */
type Segment = [generatedColumn: number, source: number, line: number, column: number];

export class SourceMap {
  /** The map as read: kept with a built component, to read the engine's stack traces back later. */
  readonly json: SourceMapJson;
  readonly sources: readonly string[];
  /** Per generated line (0-based), its segments by generated column. */
  readonly #lines: Segment[][];

  constructor(json: SourceMapJson) {
    this.json = { version: json.version, sources: json.sources, mappings: json.mappings };
    this.sources = json.sources;
    this.#lines = decodeMappings(json.mappings);
  }

  /**
   * The source position of the bundle's `line` and `column` (both 1-based): the closest
   * mapping at or before the column on that line; undefined where the line maps to nothing.
   */
  originalPosition(line: number, column: number): OriginalPosition | undefined {
    const segments = this.#lines[line - 1];
    if (!segments?.length) return undefined;
    let found = segments[0]!;
    for (const segment of segments) {
      if (segment[0] > column - 1) break;
      found = segment;
    }
    const source = this.sources[found[1]];
    return source === undefined ? undefined : { source, line: found[2] + 1, column: found[3] + 1 };
  }
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Map([...BASE64].map((c, i) => [c, i]));

/** The `mappings` string: `;` ends a generated line, `,` a segment, each field a base64 VLQ relative to the last. */
function decodeMappings(mappings: string): Segment[][] {
  const lines: Segment[][] = [];
  let source = 0;
  let line = 0;
  let column = 0;
  for (const text of mappings.split(';')) {
    const segments: Segment[] = [];
    let generated = 0;
    for (const field of text.split(',')) {
      if (!field) continue;
      const values = decodeVlq(field);
      generated += values[0] ?? 0;
      // A one-field segment maps its column to no source.
      if (values.length < 4) continue;
      source += values[1]!;
      line += values[2]!;
      column += values[3]!;
      segments.push([generated, source, line, column]);
    }
    lines.push(segments);
  }
  return lines;
}

function decodeVlq(field: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const char of field) {
    const digit = DIGIT.get(char);
    if (digit === undefined) throw new Error(`bad source map mapping: ${field}`);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    values.push(value & 1 ? -(value >>> 1) : value >>> 1);
    value = 0;
    shift = 0;
  }
  return values;
}
