import { parse, TomlError } from 'smol-toml';
import type { Diagnostic } from '../errors.ts';
import { messageOf } from '../errors.ts';

export type TomlTable = Record<string, unknown>;

/** Deep enough for any real manifest, shallow enough that hostile input stays cheap. */
const MAX_DEPTH = 64;

/**
 * Parses TOML text. This is the one place smol-toml's error becomes a Diagnostic, so every
 * syntax error reads the same wherever a manifest is loaded.
 */
export function parseToml(text: string, file: string): { table?: TomlTable; diagnostic?: Diagnostic } {
  try {
    return { table: parse(text, { maxDepth: MAX_DEPTH }) };
  } catch (err) {
    return { diagnostic: tomlDiagnostic(err, text, file) };
  }
}

function tomlDiagnostic(err: unknown, text: string, file: string): Diagnostic {
  const base = { code: 'invalid-toml', file, severity: 'error' as const };
  if (!(err instanceof TomlError)) {
    // smol-toml only throws TomlError for bad input; anything else (e.g. stack overflow) is still
    // the user's file being unreadable, not a Twirl bug worth a stack trace.
    return { ...base, message: `not valid TOML: ${messageOf(err)}` };
  }
  // The message repeats the code block; keep the first line, the position goes in line/column.
  const first = err.message.split('\n')[0] ?? '';
  const message = first.replace(/^Invalid TOML document:\s*/, '').trim() || 'syntax error';
  return {
    ...base,
    message: `not valid TOML: ${message}`,
    line: err.line,
    column: err.column,
    lineText: text.split(/\r?\n/)[err.line - 1],
  };
}
