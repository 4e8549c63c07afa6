/**
 * `twirl add <template> <name>`: adds a template's components to an existing spin.toml, as
 * `spin add` does. Sources go to `<name>/`; the new triggers and components are appended, with
 * routes under `/<name>` and paths rewritten, leaving the rest of the file as it was.
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { parse } from 'smol-toml';
import { ManifestError } from '../shared/errors.ts';
import { checkComponentId } from '../shared/manifest/component.ts';
import { parseManifest } from '../shared/manifest/parse.ts';
import { parseCommandLine } from './args.ts';
import { templateAndName } from './template-and-name.ts';
import { locateApp } from './app-manifest.ts';
import type { Command } from './command.ts';
import { CliError, twirlCommand } from './output.ts';
import { copyTemplate, findTemplate } from '../node/templates/templates.ts';
import { writeTable, type TomlValue } from './toml-write.ts';

type Table = { [key: string]: TomlValue };
const USAGE = 'twirl add [-t] <template> <name> [-f <dir|spin.toml>]';

export const addCommand: Command = {
  usage: `${USAGE}

  [-t] <template>              one of \`twirl templates list\` (\`-t\`, \`--template\` as in \`spin add\`, or first)
  <name>                       the new component's id; its sources go to <name>/, its route under /<name>
  -f, --from <dir|spin.toml>   the app to add to (default: ./spin.toml)
  --accept-defaults            take every default without asking (Twirl never asks)`,
  async run(argv) {
    const { values, positionals } = parseCommandLine('add', argv, {
      from: { type: 'string', short: 'f' },
      template: { type: 'string', short: 't' },
      'accept-defaults': { type: 'boolean' },
    });
    const [templateName, name] = await templateAndName(values.template, positionals, USAGE);
    const template = await findTemplate(templateName);
    const idProblem = checkComponentId(name);
    if (idProblem) throw new CliError(idProblem, 'bad-name');
    const { appDir, manifestPath } = await locateApp(values.from);

    const appText = await readFile(manifestPath, 'utf8');
    const app = parseTable(appText, manifestPath);
    if (app.spin_manifest_version !== 2) throw new CliError(`twirl add needs a manifest with spin_manifest_version = 2; ${manifestPath} is older`, 'old-manifest');
    const templateToml = parseTable(await readFile(join(template.dir, 'spin.toml'), 'utf8'), join(template.dir, 'spin.toml'));
    const addition = componentsToAdd(templateToml, name, app);
    if (await stat(join(appDir, name)).catch(() => undefined)) throw new CliError(`${join(appDir, name)} already exists; pick another name`, 'app-exists');

    const updated = `${appText.replace(/\n*$/, '\n')}\n${addition}`;
    const { app: checked, diagnostics } = parseManifest(updated, manifestPath);
    if (!checked) throw new ManifestError(diagnostics.filter((d) => d.severity === 'error'));
    await copyTemplate(template, join(appDir, name), ['spin.toml']);
    await writeFile(manifestPath, updated);

    console.log(`Added ${template.name} as ${name}: sources in ${name}/, routes under /${name}`);
    const hasPackage = await stat(join(appDir, name, 'package.json')).catch(() => undefined);
    console.log(`Next: ${hasPackage ? `(cd ${name} && npm install) && ` : ''}${twirlCommand()} build`);
  },
};

function parseTable(text: string, file: string): Table {
  try {
    return parse(text) as Table;
  } catch (err) {
    throw new CliError(`${file} is not valid TOML: ${(err as Error).message.split('\n')[0]}`, 'invalid-toml');
  }
}

/** The TOML text to append: the template's triggers, components and new variables, renamed for `name`. */
function componentsToAdd(template: Table, name: string, app: Table): string {
  const components = asTable(template.component);
  const ids = Object.keys(components);
  if (ids.length === 0) throw new CliError('the template has no components to add', 'empty-template');
  // One component takes the name; several are told apart by their template ids.
  const newId = (id: string): string => (ids.length === 1 ? name : `${name}-${id}`);
  const existing = asTable(app.component);
  for (const id of ids) {
    if (Object.hasOwn(existing, newId(id))) throw new CliError(`the app already has a component "${newId(id)}"; pick another name`, 'component-exists');
  }

  const parts: string[] = [];
  for (const trigger of asList(asTable(template.trigger).http)) parts.push(writeTable('trigger.http', renameTrigger(trigger, name, newId), { arrayItem: true, inline: ['route', 'static_response'] }));
  for (const id of ids) parts.push(writeTable(`component.${newId(id)}`, relocateComponent(asTable(components[id]), name), { inline: ['source'] }));
  const declared = asTable(app.variables);
  for (const [variable, declaration] of Object.entries(asTable(template.variables))) {
    if (!Object.hasOwn(declared, variable)) parts.push(writeTable(`variables.${variable}`, asTable(declaration)));
  }
  return parts.join('\n\n') + '\n';
}

function renameTrigger(trigger: Table, name: string, newId: (id: string) => string): Table {
  const out: Table = { ...trigger };
  if (typeof trigger.route === 'string') out.route = trigger.route === '/' ? `/${name}` : posix.join(`/${name}`, trigger.route);
  if (typeof trigger.component === 'string') out.component = newId(trigger.component);
  else if (trigger.component !== undefined) throw new CliError('twirl add cannot copy a trigger with an inline component yet', 'unsupported-template');
  return out;
}

/** Paths in a component are relative to the manifest; the sources now live in `<dir>/`. */
function relocateComponent(component: Table, dir: string): Table {
  const moved = (p: string): string => posix.join(dir, p);
  const out: Table = { ...component };
  if (typeof component.source === 'string') out.source = moved(component.source);
  if (Array.isArray(component.files)) {
    out.files = component.files.map((f) => (typeof f === 'string' ? moved(f) : { ...asTable(f), source: moved(String(asTable(f).source)) }));
  }
  if (Array.isArray(component.exclude_files)) out.exclude_files = component.exclude_files.map((f) => moved(String(f)));
  const build = asTable(component.build);
  if (Object.keys(build).length) {
    // The command and its watch globs stay relative to the workdir, which moves with the sources.
    const { command, workdir, ...rest } = build;
    out.build = { command: command ?? '', workdir: moved(typeof workdir === 'string' ? workdir : '.'), ...rest };
  }
  return out;
}

function asTable(value: TomlValue | undefined): Table {
  return typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date) ? value : {};
}
function asList(value: TomlValue | undefined): Table[] {
  return Array.isArray(value) ? value.map(asTable) : [];
}
