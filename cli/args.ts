/** Command-line parsing shared by the commands: `node:util` parseArgs with one-line errors. */
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { CliError, twirlCommand } from './output.ts';

/** Parses `argv` for `twirl <command>`; an unknown or malformed flag is a CliError naming the command. */
export function parseCommandLine<const O extends ParseArgsOptionsConfig>(command: string, argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const flag = /'([^']+)'/.exec((err as Error).message)?.[1] ?? '';
      throw new CliError(`unknown option ${flag} for \`twirl ${command}\`; see \`${twirlCommand()} ${command} --help\``, 'bad-arguments');
    }
    if (code?.startsWith('ERR_PARSE_ARGS')) throw new CliError(`${(err as Error).message}; see \`${twirlCommand()} ${command} --help\``, 'bad-arguments');
    throw err;
  }
}

/** Exactly `count` positionals, or a usage error showing `usage`. */
export function expectPositionals(positionals: string[], names: string[], usage: string): string[] {
  if (positionals.length === names.length) return positionals;
  const what = positionals.length < names.length ? `missing <${names[positionals.length]}>` : `unexpected ${positionals[names.length]}`;
  throw new CliError(`${what}\nusage: ${usage}`, 'bad-arguments');
}

/** `["a=1", "b=x=y"]` → `{ a: "1", b: "x=y" }`; `flag` names the option in errors. */
export function parseAssignments(items: readonly string[] | undefined, flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items ?? []) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new CliError(`${flag} expects NAME=VALUE, got "${item}"`, 'bad-arguments');
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}
