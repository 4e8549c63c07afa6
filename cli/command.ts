/** What each `twirl <command>` module exports. */
export interface Command {
  /** Shown by `twirl <command> --help`: a usage line, then the flags. */
  usage: string;
  /** Runs the command; resolves to the exit code (0 when nothing is returned). */
  run(argv: string[]): Promise<number | void>;
}
