/**
 * A component's source that does not build: the diagnostics point at the user's files (a
 * syntax error from the bundler, an exception the engine threw while initialising).
 */
import { TwirlError, formatDiagnostic, type Diagnostic } from '../errors.ts';
import type { OriginalPosition, SourceMap } from './source-map.ts';

export class SourceError extends TwirlError {
  readonly diagnostics: Diagnostic[];
  /** `message` defaults to the diagnostics, one per line. */
  constructor(code: string, diagnostics: Diagnostic[], options?: { cause?: unknown; message?: string }) {
    super(code, options?.message ?? diagnostics.map(formatDiagnostic).join('\n'), options);
    this.name = 'SourceError';
    this.diagnostics = diagnostics;
  }
}

/** `bundle.js:3:7` where the engine names a position in the bundle. */
const BUNDLE_POSITION = /\bbundle\.js:(\d+):(\d+)/g;

/**
 * An initialisation failure (`componentize-failed`, the engine's message naming `bundle.js`
 * positions) as a SourceError at the first position that maps back to a source file; every
 * bundle position in the message is rewritten to its source. `map`'s sources are the user's paths.
 */
export function initErrorAtSource(err: TwirlError, map: SourceMap): SourceError {
  const body = err.message.replace(/^initialising the component failed:\n/, '');
  const { text: message, at } = atSource(body, map);
  const first: Diagnostic | undefined = at && { code: 'init-failed', message: '', file: at.source, line: at.line, column: at.column, severity: 'error' };
  // The first line after the engine's preamble says what was thrown; the rest is the stack.
  const lines = message.split('\n').filter((l) => l && !/^Exception while evaluating top-level script$/.test(l));
  const summary = lines[0] ?? message;
  const diagnostic: Diagnostic = first
    ? { ...first, message: `${stripPosition(summary, first)} (while initialising)` }
    : { code: 'init-failed', message: `${summary} (while initialising)`, file: 'bundle.js', severity: 'error' };
  return new SourceError('init-failed', [diagnostic], { cause: err, message: `initialising the component failed:\n${message}` });
}

/**
 * `text` (an engine's message or stack line) with each `bundle.js` position that maps back
 * rewritten to its source (`src/index.js:3:7`), and the first such position.
 */
export function atSource(text: string, map: SourceMap): { text: string; at?: OriginalPosition } {
  let first: OriginalPosition | undefined;
  const mapped = text.replaceAll(BUNDLE_POSITION, (whole, line: string, column: string) => {
    const at = map.originalPosition(Number(line), Number(column));
    if (!at) return whole;
    first ??= at;
    return `${at.source}:${at.line}:${at.column}`;
  });
  return first ? { text: mapped, at: first } : { text: mapped };
}

/** `src/index.js:3:7 ReferenceError: x` at that very position → `ReferenceError: x`. */
function stripPosition(line: string, at: Diagnostic): string {
  const prefix = `${at.file}:${at.line}:${at.column} `;
  return line.startsWith(prefix) ? line.slice(prefix.length) : line;
}
