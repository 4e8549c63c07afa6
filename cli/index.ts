/** `twirl <command> ...`: dispatches to one module per command, loaded only when used. */
import '../node/workerd/capnp-growth.ts';
import type { Command } from './command.ts';
import { CliError, reportError, twirlCommand } from './output.ts';

interface Entry {
  summary: string;
  load: () => Promise<Command>;
}

const commands: Record<string, Entry> = {
  new: { summary: 'Create a new app from a template', load: async () => (await import('./new.ts')).newCommand },
  add: { summary: 'Add a component from a template to an app', load: async () => (await import('./add.ts')).addCommand },
  templates: { summary: 'List the templates', load: async () => (await import('./templates-list.ts')).templatesCommand },
  build: { summary: "Run each component's build command", load: async () => (await import('./build.ts')).buildCommand },
  up: { summary: 'Run the app locally on workerd', load: async () => (await import('./up.ts')).upCommand },
  watch: { summary: 'Rebuild and restart the app when its files change', load: async () => (await import('./watch.ts')).watchCommand },
  deploy: { summary: 'Build and deploy the app to Cloudflare', load: async () => (await import('./deploy.ts')).deployCommand },
  componentize: { summary: 'Turn a JS/TS fetch handler into a Spin component', load: async () => componentize },
  start: { summary: 'Serve the playground and a sample app locally', load: async () => (await import('./start.ts')).startCommand },
};

/** Lives in `componentize.ts`, which parses its own arguments. */
const componentize: Command = {
  usage: 'twirl componentize <entry.js|ts> -o <out.wasm> [--world <name>] [--preinit=native|ts]',
  async run(argv) {
    await (await import('../node/toolchain/componentize.ts')).componentizeCommand(argv);
  },
};

/** Runs the CLI; resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      printHelp();
      return name === undefined ? 1 : 0;
    }
    if (name === '--version' || name === '-V') {
      console.log(await version());
      return 0;
    }
    const entry = Object.hasOwn(commands, name) ? commands[name] : undefined;
    if (!entry) throw new CliError(`unknown command "${name}"; run \`${twirlCommand()} --help\` for the list`, 'unknown-command');
    const command = await entry.load();
    if (rest.includes('--help') || rest.includes('-h')) {
      console.log(`usage: ${command.usage}`);
      return 0;
    }
    return (await command.run(rest)) ?? 0;
  } catch (err) {
    return reportError(err);
  }
}

function printHelp(): void {
  const lines = Object.entries(commands).map(([name, entry]) => `  ${name.padEnd(13)} ${entry.summary}`);
  console.log(`twirl — run Spin applications locally on workerd, in the browser and on Cloudflare

usage: twirl <command> [options]

${lines.join('\n')}

Run \`twirl <command> --help\` for a command's options.`);
}

async function version(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return `twirl ${pkg.version}`;
}
