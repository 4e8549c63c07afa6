/**
 * Components that differ only in their JS engine's state — every build of one world, whoever
 * built it — share everything jco makes of them but that state. A component is known by its
 * shell: its bytes with the engine module's state taken out (the engine recognised by the digest
 * of its code). A component whose shell was prepared before is prepared by writing its own
 * snapshot beside that preparation's glue and modules, with no transpile.
 */
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { splitEngine, type SplitEngine } from '../../shared/component/engine-split.ts';
import { PagePool, type EngineSnapshot } from '../../shared/component/engine-snapshot.ts';
import { encodeSnapshot } from '../../shared/component/snapshot-codec.ts';
import { jsEngineSection } from '../../shared/wasm/component-sections.ts';
import { isComponent } from '../../shared/wasm/bytes.ts';

export interface Shell {
  /** Digest of the component with its engine's state taken out. */
  key: string;
  /** The component's own engine module, split as it was built (before preparation). */
  raw: SplitEngine;
}

/** The shell of a component holding one componentize-js engine; undefined for any other. */
export async function shellOf(bytes: Uint8Array): Promise<Shell | undefined> {
  if (!isComponent(bytes)) return undefined;
  const section = jsEngineSection(bytes);
  if (!section) return undefined;
  const raw = await splitEngine(bytes.subarray(section.start, section.end));
  if (!raw) return undefined;
  const key = createHash('sha256').update(bytes.subarray(0, section.headerStart)).update(raw.engineDigest).update(bytes.subarray(section.end)).digest('hex');
  return { key, raw };
}

/**
 * The prepared snapshot of a component, from its own split and the prepared snapshot of another
 * with its shell: preparation adds globals (fuel) after the module's own, with the same values
 * for every component, and leaves memory as it was.
 */
export function preparedSnapshot(raw: EngineSnapshot, prepared: EngineSnapshot): EngineSnapshot {
  const own = new Set(raw.globals.map((g) => g.index));
  return {
    engineDigest: prepared.engineDigest,
    memoryPages: raw.memoryPages,
    globals: [...raw.globals, ...prepared.globals.filter((g) => !own.has(g.index))],
    pages: raw.pages,
  };
}

export function sameSnapshot(a: EngineSnapshot, b: EngineSnapshot): boolean {
  if (a.engineDigest !== b.engineDigest || a.memoryPages !== b.memoryPages || a.pages.size !== b.pages.size) return false;
  const globals = (s: EngineSnapshot) => JSON.stringify(s.globals, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
  if (globals(a) !== globals(b)) return false;
  for (const [page, bytes] of a.pages) {
    const other = b.pages.get(page);
    if (!other || !Buffer.from(bytes).equals(Buffer.from(other))) return false;
  }
  return true;
}

/** Where the preparation of a shell is named: `<shells>/<key>-<variant>` holds the prepared folder's name. */
export class ShellIndex {
  readonly #dir: string;
  readonly #variant: string;

  constructor(dir: string, variant: string) {
    this.#dir = dir;
    this.#variant = variant;
  }

  #file(shell: Shell): string {
    return join(this.#dir, `${shell.key}-${this.#variant}`);
  }

  /** The prepared folder (in `preparedRoot`) of a component with this shell, if one is known. */
  async find(shell: Shell, preparedRoot: string): Promise<string | undefined> {
    const name = await readFile(this.#file(shell), 'utf8').catch(() => undefined);
    return name ? join(preparedRoot, name) : undefined;
  }

  async remember(shell: Shell, preparedDir: string): Promise<void> {
    await mkdir(this.#dir, { recursive: true });
    await writeFile(this.#file(shell), basename(preparedDir));
  }
}

/**
 * Writes a preparation at `dir` from `from`'s (same shell): its glue and modules copied, `index`
 * as its index, `snapshot` written for its engine module `engineName`.
 */
export async function preparationBeside(from: string, dir: string, files: readonly string[], index: object, engineName: string, snapshot: EngineSnapshot): Promise<void> {
  const staging = `${dir}.${process.pid}.${Date.now()}`;
  await mkdir(staging, { recursive: true });
  await Promise.all(files.map((f) => copyFile(join(from, f), join(staging, f))));
  const pool = new PagePool();
  await writeFile(join(staging, `${engineName}.snapshot`), encodeSnapshot(snapshot, pool));
  await writeFile(join(staging, `${engineName}.pages`), pool.bytes());
  await writeFile(join(staging, 'prepared.json'), JSON.stringify(index));
  await rename(staging, dir).catch(() => rm(staging, { recursive: true, force: true }));
}
