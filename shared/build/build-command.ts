/**
 * A component's build command, read for what a build without a shell can do: the browser
 * builds a component whose command is `twirl componentize <entry> -o <out> [--world <name>]`.
 */

export interface ComponentizeCommand {
  /** The entry module, relative to the component's workdir. */
  entry: string;
  out: string;
  world?: string;
}

/**
 * The arguments of `[component.<id>.build] command` when it runs `twirl componentize` (also
 * through `npx`) and nothing else; undefined for any other command.
 */
export function parseComponentizeCommand(command: string): ComponentizeCommand | undefined {
  // Quotes, pipes and `&&` mean a shell is needed: not ours to imitate.
  if (/["'`|&;<>$]/.test(command)) return undefined;
  const words = command.trim().split(/\s+/);
  if (words[0] === 'npx') words.shift();
  if (words[0] !== 'twirl' || words[1] !== 'componentize') return undefined;
  let entry: string | undefined;
  let out: string | undefined;
  let world: string | undefined;
  const args = words.slice(2);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '-o' || arg === '--out') out = args[++i];
    else if (arg === '--world') world = args[++i];
    else if (arg.startsWith('--preinit')) i += arg.includes('=') ? 0 : 1;
    else if (arg.startsWith('-') || entry !== undefined) return undefined;
    else entry = arg;
  }
  if (!entry || !out) return undefined;
  return world === undefined ? { entry, out } : { entry, out, world };
}
