/** What the CLI prints besides a command's own output: errors, warnings, durations. */
import { ManifestError, TwirlError, formatDiagnostic, type Diagnostic, messageOf } from '../shared/errors.ts';

/** A mistake the user can fix: printed as one `Error: ...` line, never with a stack trace. */
export class CliError extends TwirlError {
  constructor(message: string, code = 'cli-error') {
    super(code, message);
    this.name = 'CliError';
  }
}

/** Prints an error for people and returns the exit code. Only bugs in Twirl show a stack. */
export function reportError(err: unknown): number {
  if (err instanceof ManifestError) console.error(err.message);
  else if (err instanceof TwirlError) console.error(`Error: ${err.message}`);
  else if (process.env.TWIRL_DEBUG) console.error(err);
  else {
    const message = messageOf(err);
    console.error(`Error: ${message}\n(set TWIRL_DEBUG=1 to see where it came from)`);
  }
  return 1;
}

export function printWarnings(warnings: readonly Diagnostic[]): void {
  for (const w of warnings) console.error(formatDiagnostic(w));
}

/** How to run twirl again in hints: as it was run now, through npm (`npx twirl`) or from PATH. */
export const twirlCommand = (): string => (process.env['npm_command'] ? 'npx twirl' : 'twirl');

/** `850ms`, `9.8s`, `1m 12s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  return `${Math.floor(ms / 60_000)}m ${Math.round((ms % 60_000) / 1000)}s`;
}
