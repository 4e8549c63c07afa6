/**
 * Node side of component preparation: transpile once (cached on disk by content digest),
 * import the glue as a module, compile the core modules.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { transpileComponent, type ComponentKind } from '../shared/component/prepare.ts';
import type { GlueInstantiate, LoadedComponent } from '../shared/component/instantiate.ts';

const cacheRoot = resolve(import.meta.dirname, '../node_modules/.cache/twirl/prepared');

export function digestOf(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Preparation output changes with these files and jco's version, so they are part of the cache key. */
const preparation = createHash('sha256');
const preparingFiles = ['component/prepare.ts', 'component/rewrite-module.ts', 'component/fuel.ts', 'wasm/bytes.ts', 'wasm/module-layout.ts'];
for (const file of [...preparingFiles.map((f) => resolve(import.meta.dirname, `../shared/${f}`)), await packageJsonOf('@bytecodealliance/jco-transpile')]) {
  preparation.update(await readFile(file));
}
const preparationKey = preparation.digest('hex').slice(0, 12);

/** The package.json of `name` as this module resolves it (hoisted or nested, wherever npm put it). */
async function packageJsonOf(name: string): Promise<string> {
  for (let dir = dirname(fileURLToPath(import.meta.resolve(name))); dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    const found = await readFile(file, 'utf8').then((text) => (JSON.parse(text) as { name?: string }).name === name, () => false);
    if (found) return file;
  }
  throw new Error(`no package.json for ${name}`);
}

/** Transpiles into `<cache>/<digest>/` unless already there; returns the folder. */
export async function prepareOnDisk(bytes: Uint8Array): Promise<{ dir: string; kind: ComponentKind }> {
  const dir = join(cacheRoot, `${digestOf(bytes)}-${preparationKey}`);
  try {
    const kind = (await readFile(join(dir, 'kind'), 'utf8')) as ComponentKind;
    return { dir, kind };
  } catch {
    const prepared = await transpileComponent(bytes);
    // Write beside, then rename: another process never sees a half-written folder.
    const staging = `${dir}.${process.pid}.${Date.now()}`;
    await mkdir(staging, { recursive: true });
    await Promise.all(Object.entries(prepared.modules).map(([name, b]) => writeFile(join(staging, name), b)));
    await writeFile(join(staging, 'component.js'), prepared.glue);
    await writeFile(join(staging, 'kind'), prepared.kind);
    await rename(staging, dir).catch(() => rm(staging, { recursive: true, force: true }));
    return { dir, kind: prepared.kind };
  }
}

const loaded = new Map<string, Promise<LoadedComponent>>();

export function loadComponent(bytes: Uint8Array): Promise<LoadedComponent> {
  const key = digestOf(bytes);
  let pending = loaded.get(key);
  if (!pending) loaded.set(key, (pending = loadFresh(bytes)));
  return pending;
}

async function loadFresh(bytes: Uint8Array): Promise<LoadedComponent> {
  const { dir, kind } = await prepareOnDisk(bytes);
  const glue = (await import(pathToFileURL(join(dir, 'component.js')).href)) as { instantiate: GlueInstantiate };
  const names = (await readdir(dir)).filter((n) => n.endsWith('.wasm'));
  const modules = new Map(await Promise.all(names.map(async (n) => [n, await WebAssembly.compile(await readFile(join(dir, n)))] as const)));
  return { kind, instantiate: glue.instantiate, modules };
}
