/** A problem found in a file a user wrote, with enough position to point at it. */
export interface Diagnostic {
  /** Stable machine-readable code, e.g. `missing-source`. */
  code: string;
  message: string;
  file: string;
  /** 1-based; absent where the position cannot be known. */
  line?: number;
  column?: number;
  /** The text of `line`, for showing the user where. */
  lineText?: string;
  /** Dotted path of the manifest field, e.g. `component.hello.source`. */
  field?: string;
  severity: 'error' | 'warning';
}

/** Base of every error Twirl raises on purpose; `code` is stable, `message` is for people. */
export class TwirlError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TwirlError';
    this.code = code;
  }
}

/** The message of anything thrown: an Error's own, anything else as a string. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A manifest that cannot be run; carries every error diagnostic found. */
export class ManifestError extends TwirlError {
  readonly diagnostics: Diagnostic[];
  constructor(diagnostics: Diagnostic[]) {
    super(diagnostics[0]?.code ?? 'invalid-manifest', diagnostics.map(formatDiagnostic).join('\n'));
    this.name = 'ManifestError';
    this.diagnostics = diagnostics;
  }
}

/** `spin.toml:12:3: error: component.hello.source: ...` then the offending line. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = [d.file, d.line, d.line === undefined ? undefined : d.column].filter((p) => p !== undefined).join(':');
  const field = d.field ? `${d.field}: ` : '';
  const text = d.lineText === undefined ? '' : `\n    ${d.lineText.trim()}`;
  return `${where}: ${d.severity}: ${field}${d.message}${text}`;
}
