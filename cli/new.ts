/** `twirl new <template> <name>`: a new app folder from a template, as `spin new`. */
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseCommandLine } from './args.ts';
import { templateAndName } from './template-and-name.ts';
import type { Command } from './command.ts';
import { CliError, twirlCommand } from './output.ts';
import { copyTemplate, findTemplate, renameApp } from '../node/templates/templates.ts';

const USAGE = 'twirl new [-t] <template> <name> [--accept-defaults] [-o <dir>]';

export const newCommand: Command = {
  usage: `${USAGE}

  [-t] <template>        one of \`twirl templates list\` (\`-t\`, \`--template\` as in \`spin new\`, or first)
  <name>                 the app's name; also its folder unless -o is given
  -o, --output <dir>     where to create the app
  --accept-defaults      take every default without asking (Twirl never asks)`,
  async run(argv) {
    const { values, positionals } = parseCommandLine('new', argv, {
      output: { type: 'string', short: 'o' },
      template: { type: 'string', short: 't' },
      'accept-defaults': { type: 'boolean' },
    });
    const [templateName, name] = await templateAndName(values.template, positionals, USAGE);
    const template = await findTemplate(templateName);
    checkAppName(name);
    const dest = resolve(values.output ?? name);
    if (await stat(dest).catch(() => undefined)) {
      throw new CliError(`${values.output ?? name} already exists; pick another name or remove it`, 'app-exists');
    }
    await copyTemplate(template, dest);
    await renameApp(dest, template.name, name);

    const where = values.output ?? name;
    console.log(`Created ${name} from template ${template.name} in ${where}`);
    const hasPackage = await stat(join(dest, 'package.json')).catch(() => undefined);
    console.log(`Next: cd ${where}${hasPackage ? ' && npm install' : ''} && ${twirlCommand()} build && ${twirlCommand()} up`);
  },
};

function checkAppName(name: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name)) {
    throw new CliError(`"${name}" is not a valid app name: use letters, digits, '-', '_' and '.', starting with a letter or digit`, 'bad-name');
  }
}
