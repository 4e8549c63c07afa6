/** `twirl templates [list]`: `list` is Spin's subcommand, and the only one, so it is also what `twirl templates` does. */
import { listTemplates } from '../node/templates/templates.ts';
import type { Command } from './command.ts';
import { CliError } from './output.ts';

export const templatesCommand: Command = {
  usage: 'twirl templates [list]',
  async run(argv) {
    const [sub, ...extra] = argv;
    if (sub !== undefined && sub !== 'list') throw new CliError(`unknown subcommand "${sub}" of \`twirl templates\`; the one there is: list`, 'bad-arguments');
    if (extra.length > 0) throw new CliError(`\`twirl templates list\` takes no arguments; got ${extra.join(' ')}`, 'bad-arguments');
    const all = await listTemplates();
    const width = Math.max(...all.map((t) => t.name.length));
    for (const t of all) console.log(`${t.name.padEnd(width)}  ${t.description}`);
  },
};
