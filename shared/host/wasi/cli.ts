/** wasi:cli — stdio (stdout/stderr to the host's log sink, stdin empty), environment, exit. */
import { InputStream, OutputStream } from './io.ts';

export class TerminalInput {}
export class TerminalOutput {}

/** Splits written bytes into lines for the log sink; a partial last line is kept until `end`. */
export class LineSplitter {
  readonly #emit: (line: string) => void;
  // Made at the first write: every request has two splitters, and most never write.
  #decoder: TextDecoder | undefined;
  #pending = '';
  constructor(emit: (line: string) => void) {
    this.#emit = emit;
  }
  write(chunk: Uint8Array): void {
    const text = this.#pending + (this.#decoder ??= new TextDecoder()).decode(chunk, { stream: true });
    const lines = text.split('\n');
    this.#pending = lines.pop() ?? '';
    for (const line of lines) this.#emit(line);
  }
  end(): void {
    if (this.#pending) this.#emit(this.#pending);
    this.#pending = '';
  }
}

export interface CliContext {
  stdout: LineSplitter;
  stderr: LineSplitter;
  environment: Array<[string, string]>;
}

/** `current` gives the context of the request the instance is serving now. */
export function cliImports(current: () => CliContext) {
  return {
    'wasi:cli/stdout': { getStdout: () => new OutputStream(current().stdout) },
    'wasi:cli/stderr': { getStderr: () => new OutputStream(current().stderr) },
    'wasi:cli/stdin': { getStdin: () => new InputStream(null) },
    'wasi:cli/environment': {
      getEnvironment: () => current().environment,
      getArguments: () => [],
      initialCwd: () => '/',
    },
    'wasi:cli/exit': {
      exit(status: { tag: 'ok' | 'err' }): never {
        throw new Error(`component called exit (${status.tag})`);
      },
    },
    'wasi:cli/terminal-input': { TerminalInput },
    'wasi:cli/terminal-output': { TerminalOutput },
    'wasi:cli/terminal-stdin': { getTerminalStdin: () => undefined },
    'wasi:cli/terminal-stdout': { getTerminalStdout: () => undefined },
    'wasi:cli/terminal-stderr': { getTerminalStderr: () => undefined },
  };
}
