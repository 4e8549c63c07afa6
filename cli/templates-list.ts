/** `twirl templates list` */
import { listTemplates } from '../node/templates/templates.ts';
import type { Command } from './command.ts';
import { CliError } from './output.ts';

export const templatesCommand: Command = {
  usage: 'twirl templates list',
  async run(argv) {
    if (argv.length !== 1 || argv[0] !== 'list') throw new CliError('usage: twirl templates list', 'bad-arguments');
    const all = await listTemplates();
    const width = Math.max(...all.map((t) => t.name.length));
    for (const t of all) console.log(`${t.name.padEnd(width)}  ${t.description}`);
  },
};
