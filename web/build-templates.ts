/**
 * Prepares the templates for the playground (Node, run by the vite plugin before dev and build):
 * builds each template's components (cached), transpiles them with jco and writes
 *   __twirl/templates/index.json, __twirl/templates/<name>.json   the apps' files, components by reference
 *   __twirl/components/<digest>/prepared.json, glue.js, glue-sync.js (for browsers without JSPI), core modules,
 *     untracked/ (core modules without write tracking, for browsers without multi-memory),
 *     component.wasm (the original, for publishing)
 *   __twirl/worlds/<key>/, __twirl/engines/<digest>.wasm   each JS component's world, for edits built as snapshots (build-worlds.ts)
 *   __twirl/npm/index.json, __twirl/npm/<package>.json   npm packages the templates import, for the in-browser build
 * into `--out`. `--only a,b` (or TWIRL_PLAYGROUND_TEMPLATES) limits the templates.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { transpileComponent } from '../shared/component/prepare.ts';
import { globToRegExp } from '../shared/host/files.ts';
import { parseManifest } from '../shared/manifest/parse.ts';
import { listTemplates, type TemplateInfo } from '../node/templates/templates.ts';
import { builtTemplate } from '../node/templates/built-template.ts';
import { preparationKey } from '../node/component/load-component.ts';
import { templateDependencies, writeNpmPackages } from './build-npm-packages.ts';
import { ORIGINAL, SYNC_GLUE, type AppFile, type ComponentRef, type PreparedIndex, type PreparedTemplate, type TemplateSummary } from './app-model.ts';
import { messageOf } from '../shared/errors.ts';
import { buildPlaygroundLessons, lessonsFilter } from './build-lessons.ts';
import { prepareWorldOf, shareEngines } from './build-worlds.ts';

const SKIPPED = new Set(['dist', 'node_modules', '.twirl']);

const sha256 = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

export async function buildPlaygroundTemplates(out: string, only?: readonly string[]): Promise<TemplateSummary[]> {
  const all = await listTemplates();
  const unknown = only?.filter((name) => !all.some((t) => t.name === name)) ?? [];
  if (unknown.length) throw new Error(`no such template: ${unknown.join(', ')} (templates: ${all.map((t) => t.name).join(', ')})`);
  const templates = all.filter((t) => !only || only.includes(t.name));
  const summaries: TemplateSummary[] = [];
  const own = join(out, '__twirl');
  await mkdir(join(own, 'templates'), { recursive: true });
  for (const template of templates) {
    const started = performance.now();
    let prepared: PreparedTemplate;
    try {
      prepared = await prepareTemplate(template, own);
    } catch (err) {
      // One template that does not build must not keep the playground from starting.
      console.error(`twirl playground: template ${template.name} left out: ${messageOf(err)}`);
      continue;
    }
    await writeAtomic(join(own, 'templates', `${template.name}.json`), JSON.stringify(prepared));
    summaries.push({ name: template.name, description: template.description });
    console.error(`twirl playground: template ${template.name} ready (${Math.round(performance.now() - started)} ms)`);
  }
  await writeAtomic(join(own, 'templates', 'index.json'), JSON.stringify(summaries));
  await writeNpmPackages(own, (await Promise.all(templates.map((t) => templateDependencies(t.dir)))).flat());
  return summaries;
}

async function prepareTemplate(template: TemplateInfo, out: string): Promise<PreparedTemplate> {
  const files = await readAppFiles(template.dir);
  const manifest = await readFile(join(template.dir, 'spin.toml'), 'utf8');
  await attachBuiltComponents(files, manifest, template.name, out);
  return { name: template.name, description: template.description, files };
}

/**
 * Builds the app's components (by `builtTemplate(name)`), prepares them under `out` and refers
 * to each from `files` where the manifest's `source` puts it.
 */
export async function attachBuiltComponents(files: Record<string, AppFile>, manifest: string, name: string, out: string): Promise<void> {
  const { app } = parseManifest(manifest, `${name}/spin.toml`);
  if (!app) throw new Error(`${name}: spin.toml does not parse`);
  const built = await builtTemplate(name);
  for (const [id, bytes] of Object.entries(built.components)) {
    const config = app.components[id];
    if (!config || !('path' in config.source)) continue;
    const digest = sha256(bytes);
    const kind = await writePrepared(bytes, join(out, 'components', digest));
    await shareEngines(out, join(out, 'components', digest));
    const ref: ComponentRef = { digest, kind, url: `__twirl/components/${digest}/`, sources: sourceDigests(files, config.build?.watch ?? ['src/**']) };
    files[config.source.path] = { component: ref };
    const world = config.build
      ? await prepareWorldOf(out, built.dir, config.build, bytes, `${ref.url}${ORIGINAL}`).catch((err: unknown) => {
          // Without its world prepared, an edit of the component builds in full: slower, not wrong.
          console.error(`twirl playground: the world of ${name}'s component ${id} left out: ${messageOf(err)}`);
          return undefined;
        })
      : undefined;
    if (world) ref.world = world;
  }
}

/** Transpiles into `dir` unless a complete earlier run left it there; returns the component's kind. */
async function writePrepared(bytes: Uint8Array, dir: string): Promise<PreparedIndex['kind']> {
  const done = await completeKind(dir);
  if (done) return done;
  const transpiled = await transpileComponent(bytes, 'component', { syncGlue: true, untracked: true });
  const staging = `${dir}.${process.pid}`;
  await mkdir(staging, { recursive: true });
  await writeFile(join(staging, 'glue.js'), transpiled.glue);
  if (transpiled.syncGlue !== undefined) await writeFile(join(staging, SYNC_GLUE), transpiled.syncGlue);
  await writeFile(join(staging, ORIGINAL), bytes);
  for (const [name, module] of Object.entries(transpiled.modules)) await writeFile(join(staging, name), module);
  const untracked = Object.entries(transpiled.untracked ?? {});
  if (untracked.length > 0) await mkdir(join(staging, 'untracked'));
  for (const [name, module] of untracked) await writeFile(join(staging, 'untracked', name), module);
  const index: PreparedIndex = { kind: transpiled.kind, modules: Object.keys(transpiled.modules), untracked: untracked.map(([name]) => name) };
  await writeFile(join(staging, 'prepared.json'), JSON.stringify(index));
  await writeFile(join(staging, PREPARATION_STAMP), preparationKey);
  // Another build (a parallel test, say) may have finished the same folder meanwhile: keep theirs.
  try {
    await rename(staging, dir);
  } catch {
    if (!(await completeKind(dir))) {
      await rm(dir, { recursive: true, force: true });
      await rename(staging, dir);
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return transpiled.kind;
}

/** The preparation's key (see node/component/load-component.ts), beside prepared.json. */
const PREPARATION_STAMP = 'preparation';

async function completeKind(dir: string): Promise<PreparedIndex['kind'] | undefined> {
  const index = await readFile(join(dir, 'prepared.json'), 'utf8').catch(() => undefined);
  const original = await stat(join(dir, ORIGINAL)).catch(() => undefined);
  // Folders prepared by other code (older instrumentation, say) are made again.
  const stamp = await readFile(join(dir, PREPARATION_STAMP), 'utf8').catch(() => undefined);
  if (!index || !original || stamp !== preparationKey) return undefined;
  const { kind, untracked } = JSON.parse(index) as PreparedIndex;
  // Folders prepared before the variants for WebKit existed are made again.
  const portable = kind === 'spin1-http' || (untracked && (await stat(join(dir, SYNC_GLUE)).catch(() => undefined)));
  return portable ? kind : undefined;
}

/** Readers (vite copying its public folder) never see half a file. */
async function writeAtomic(path: string, text: string): Promise<void> {
  const staging = `${path}.${process.pid}`;
  await writeFile(staging, text);
  await rename(staging, path);
}

async function readAppFiles(root: string): Promise<Record<string, AppFile>> {
  const files: Record<string, AppFile> = {};
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const path = relative(root, join(entry.parentPath, entry.name)).split(sep).join('/');
    if (SKIPPED.has(path.split('/')[0]!)) continue;
    const bytes = await readFile(join(root, path));
    files[path] = asAppFile(bytes);
  }
  return Object.fromEntries(Object.entries(files).sort(([a], [b]) => a.localeCompare(b)));
}

function asAppFile(bytes: Uint8Array): AppFile {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { base64: Buffer.from(bytes).toString('base64') };
  }
}

function sourceDigests(files: Record<string, AppFile>, watch: readonly string[]): Record<string, string> {
  const patterns = watch.map((g) => globToRegExp(g.replace(/^\.\//, '')));
  const sources: Record<string, string> = {};
  for (const [path, file] of Object.entries(files)) {
    if ('text' in file && patterns.some((p) => p.test(path))) sources[path] = sha256(file.text);
  }
  return sources;
}

export function templatesFilter(arg: string | undefined): string[] | undefined {
  const list = (arg ?? process.env['TWIRL_PLAYGROUND_TEMPLATES'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return list.length ? list : undefined;
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { out: { type: 'string' }, only: { type: 'string' } } });
  const out = resolve(values.out ?? '.cache/playground');
  await buildPlaygroundTemplates(out, templatesFilter(values.only));
  // Each step's start app is built here, as a template is, so a reader's first step runs at once.
  await buildPlaygroundLessons(out, {
    only: lessonsFilter(),
    buildStart: (files, manifest, name) => attachBuiltComponents(files, manifest, name, join(out, '__twirl')),
  });
}
