/**
 * The app templates in `templates/<name>/`.
 *
 * Placeholder convention: a template is a real, runnable Spin app named after its folder. `twirl
 * new` renames it by rewriting the application's `name` in spin.toml, `name` in package.json and
 * a README whose first line is `# <template>`; nothing else is rewritten.
 */
import { cp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { parse } from 'smol-toml';
import { TwirlError } from '../../shared/errors.ts';

export const templatesRoot = resolve(import.meta.dirname, '../../templates');

/** Left behind by building or running a template in place; never copied into an app. */
const SKIPPED = new Set(['node_modules', 'dist', '.twirl']);

export interface TemplateInfo {
  name: string;
  description: string;
  dir: string;
}

export async function listTemplates(): Promise<TemplateInfo[]> {
  const entries = await readdir(templatesRoot, { withFileTypes: true });
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const found = await Promise.all(names.map(readTemplateInfo));
  return found.filter((t) => t !== undefined);
}

async function readTemplateInfo(name: string): Promise<TemplateInfo | undefined> {
  const dir = join(templatesRoot, name);
  const text = await readFile(join(dir, 'spin.toml'), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  let description = '';
  try {
    const application = parse(text).application as { description?: unknown } | undefined;
    if (typeof application?.description === 'string') description = application.description;
  } catch {
    // A template with a broken manifest is still listed; building it reports the error.
  }
  return { name, description, dir };
}

/** The template called `name`, or an error listing the known ones. */
export async function findTemplate(name: string): Promise<TemplateInfo> {
  const all = await listTemplates();
  const found = all.find((t) => t.name === name);
  if (found) return found;
  throw new TwirlError('unknown-template', `unknown template "${name}"; known templates: ${all.map((t) => t.name).join(', ')}`);
}

/** Copies a template's files (not its build output, nor top-level `leaveOut`) into `dest`, which must not exist. */
export async function copyTemplate(template: TemplateInfo, dest: string, leaveOut: readonly string[] = []): Promise<void> {
  const left = new Set(leaveOut.map((name) => join(template.dir, name)));
  await cp(template.dir, dest, {
    recursive: true,
    errorOnExist: true,
    force: false,
    filter: (src) => src === template.dir || (!SKIPPED.has(basename(src)) && !left.has(src)),
  });
}

/** Renames a freshly copied template to `appName` (see the convention at the top). */
export async function renameApp(dir: string, template: string, appName: string): Promise<void> {
  await rewrite(join(dir, 'spin.toml'), (text) => setApplicationName(text, appName));
  await rewrite(join(dir, 'package.json'), (text) => {
    const pkg = JSON.parse(text) as Record<string, unknown>;
    return JSON.stringify({ ...pkg, name: appName }, null, 2) + '\n';
  });
  await rewrite(join(dir, 'README.md'), (text) => text.replace(new RegExp(`^# ${escapeRegExp(template)}$`, 'm'), `# ${appName}`));
}

async function rewrite(file: string, change: (text: string) => string): Promise<void> {
  if (!(await stat(file).catch(() => undefined))) return;
  await writeFile(file, change(await readFile(file, 'utf8')));
}

/** Replaces the first `name = "..."` of `[application]` (v2) or of the top level (v1), keeping the rest byte for byte. */
export function setApplicationName(toml: string, appName: string): string {
  const lines = toml.split('\n');
  let table = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const header = /^\s*\[+\s*([^\]]+?)\s*\]+/.exec(line);
    if (header) table = header[1]!;
    else if ((table === 'application' || table === '') && /^\s*name\s*=/.test(line)) {
      lines[i] = line.replace(/=.*$/, `= ${JSON.stringify(appName)}`);
      return lines.join('\n');
    }
  }
  return toml;
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
