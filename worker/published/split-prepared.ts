/**
 * A published component's preparation as it is stored: the core modules that are its own, and
 * for each JS engine module only the component's snapshot of it. The engine itself is kept once
 * for every app (engine-store.ts), named by its digest, and so is jco's glue (~1 MB, the same
 * for every component of one world) and the memory pages
 * its first snapshot had (its base: most pages of every snapshot of one engine are the same),
 * so a component keeps only the pages the base lacks. A record names engine, base, snapshot and
 * pages by their digests, and reading it back checks them.
 */
import { unzipSync, zipSync } from 'fflate';
import { splitModules } from '../../shared/component/engine-split.ts';
import { PagePool, snapshotPageBytes } from '../../shared/component/engine-snapshot.ts';
import { decodeSnapshot, encodeSnapshot } from '../../shared/component/snapshot-codec.ts';
import type { ComponentKind, TranspiledComponent } from '../../shared/component/prepare.ts';
import { sha256Hex } from '../../shared/digest.ts';
import { TwirlError } from '../../shared/errors.ts';

/** A component's snapshot of a shared engine, in its stored form (snapshot-codec.ts). */
export interface EngineUse {
  /** Digest of the engine module the snapshot is for. */
  engine: string;
  snapshot: Uint8Array;
  /** Digest of the engine's base pages the snapshot's page pool starts with, if any. */
  base?: string;
  /** The snapshot's pages after the base's (all of them without one), back to back. */
  pages: Uint8Array;
}

/** An engine's base pages: named by their digest, the pages back to back. */
export interface BasePages {
  digest: string;
  pages: Uint8Array;
}

export interface SplitPrepared {
  kind: ComponentKind;
  glue: string;
  /** Core module name → bytes, for modules that are no shared engine (all of them for Rust, Go, Spin 1.x). */
  modules: Record<string, Uint8Array>;
  /** Core module name → the component's snapshot of the engine that module is. */
  engines: Record<string, EngineUse>;
}

/**
 * The record and the engine modules it names (by digest), from jco's output for a component.
 * `baseOf` gives the base pages of an engine where it has some; the pages of an engine that has
 * none become its base, returned in `bases`.
 */
export async function splitPrepared(
  prepared: TranspiledComponent,
  baseOf: (engine: string) => Promise<BasePages | undefined>,
): Promise<{ record: SplitPrepared; engines: Map<string, Uint8Array>; bases: Map<string, BasePages> }> {
  const { whole, engines: split } = await splitModules(prepared.modules);
  const engines = new Map<string, Uint8Array>();
  const bases = new Map<string, BasePages>();
  const uses: Record<string, EngineUse> = {};
  for (const [name, { engine, engineDigest, snapshot }] of Object.entries(split)) {
    engines.set(engineDigest, engine);
    const pool = new PagePool();
    const base = bases.get(engineDigest) ?? (await baseOf(engineDigest));
    if (base) for (let at = 0; at < base.pages.length; at += snapshotPageBytes) pool.add(base.pages.subarray(at, at + snapshotPageBytes));
    const from = pool.size * snapshotPageBytes;
    // Indexes into the base hold only if each of its pages took its own place in the pool, as a pool's pages do.
    if (base && from !== base.pages.length) throw new TwirlError('prepared-invalid', `the base pages ${base.digest.slice(0, 12)} of engine ${engineDigest.slice(0, 12)} are not a page pool`);
    const encoded = encodeSnapshot(snapshot, pool);
    const pages = pool.bytes().subarray(from);
    if (base) {
      uses[name] = { engine: engineDigest, snapshot: encoded, base: base.digest, pages };
    } else {
      const made = { digest: await sha256Hex(pages), pages };
      bases.set(engineDigest, made);
      uses[name] = { engine: engineDigest, snapshot: encoded, base: made.digest, pages: new Uint8Array(0) };
    }
  }
  return { record: { kind: prepared.kind, glue: prepared.glue, modules: whole, engines: uses }, engines, bases };
}

/**
 * The snapshots of an app's components, their pages in one pool for the whole app (as a deploy
 * bundle has them): component id → core module name → the encoded snapshot. Each snapshot is
 * checked against the engine its record names: one made for another engine is refused.
 */
export function appSnapshots(prepared: ReadonlyMap<string, SplitPrepared>, bases: ReadonlyMap<string, Uint8Array>): { snapshots: Map<string, Record<string, Uint8Array>>; pages: Uint8Array } {
  const pool = new PagePool();
  const snapshots = new Map<string, Record<string, Uint8Array>>();
  for (const [id, record] of prepared) {
    const own: Record<string, Uint8Array> = {};
    for (const [name, use] of Object.entries(record.engines)) {
      let pages = use.pages;
      if (use.base) {
        const base = bases.get(use.base);
        if (!base) throw new Error(`base pages ${use.base} of component ${id} were not read`);
        pages = new Uint8Array(base.length + use.pages.length);
        pages.set(base);
        pages.set(use.pages, base.length);
      }
      const snapshot = decodeSnapshot(use.snapshot, pages);
      if (snapshot.engineDigest !== use.engine) {
        throw new TwirlError(
          'snapshot-engine-mismatch',
          `component ${id}: the snapshot of its module ${name} was made for engine ${snapshot.engineDigest.slice(0, 12)}, not for engine ${use.engine.slice(0, 12)} it would run on; publish the app again`,
        );
      }
      own[name] = encodeSnapshot(snapshot, pool);
    }
    snapshots.set(id, own);
  }
  return { snapshots, pages: pool.bytes() };
}

interface EngineEntry {
  engine: string;
  snapshot: string;
  base?: string;
  pages: string;
}

/** Shared content a record names by digest. */
export interface Content {
  digest: string;
  bytes: Uint8Array;
}

/** The record's bytes, and its glue, which is kept apart by its digest. */
// Stored, not deflated: the bulk is Wasm and memory pages, and reading it back must be quick.
export async function encodeRecord(record: SplitPrepared): Promise<{ bytes: Uint8Array; glue: Content }> {
  const text = (s: string) => new TextEncoder().encode(s);
  const glue = text(record.glue);
  const glueDigest = await sha256Hex(glue);
  const files: Record<string, Uint8Array> = { kind: text(record.kind), glue: text(glueDigest) };
  for (const [name, bytes] of Object.entries(record.modules)) files[`modules/${name}`] = bytes;
  const index: Record<string, EngineEntry> = {};
  for (const [name, use] of Object.entries(record.engines)) {
    index[name] = { engine: use.engine, snapshot: await sha256Hex(use.snapshot), ...(use.base ? { base: use.base } : {}), pages: await sha256Hex(use.pages) };
    files[`snapshots/${name}`] = use.snapshot;
    files[`pages/${name}`] = use.pages;
  }
  files['engines.json'] = text(JSON.stringify(index));
  return { bytes: zipSync(files, { level: 0 }), glue: { digest: glueDigest, bytes: glue } };
}

/** Reads a stored record of component `componentId`, checking its glue, each snapshot and its pages against their digests. */
export async function decodeRecord(bytes: Uint8Array, componentId: string, glueOf: (digest: string) => Promise<Uint8Array | undefined>): Promise<SplitPrepared> {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (err) {
    throw republish(componentId, 'its stored preparation cannot be read', err);
  }
  const text = (name: string): string => {
    const file = files[name];
    if (!file) throw republish(componentId, `its stored preparation lacks ${name}`);
    return new TextDecoder().decode(file);
  };
  const modules: Record<string, Uint8Array> = {};
  for (const [name, data] of Object.entries(files)) if (name.startsWith('modules/')) modules[name.slice('modules/'.length)] = data;
  const engines: Record<string, EngineUse> = {};
  for (const [name, entry] of Object.entries(JSON.parse(text('engines.json')) as Record<string, EngineEntry>)) {
    const snapshot = files[`snapshots/${name}`];
    const pages = files[`pages/${name}`];
    if (!snapshot || (await sha256Hex(snapshot)) !== entry.snapshot) throw republish(componentId, `the snapshot of its module ${name} does not match its digest ${entry.snapshot.slice(0, 12)}`);
    if (!pages || (await sha256Hex(pages)) !== entry.pages) throw republish(componentId, `the memory pages of its module ${name} do not match their digest ${entry.pages.slice(0, 12)}`);
    engines[name] = { engine: entry.engine, snapshot, ...(entry.base ? { base: entry.base } : {}), pages };
  }
  const glueDigest = text('glue');
  const glue = await glueOf(glueDigest);
  if (!glue || (await sha256Hex(glue)) !== glueDigest) throw republish(componentId, `its glue ${glueDigest.slice(0, 12)} is ${glue ? 'not what its digest says' : 'no longer stored'}`);
  return { kind: text('kind') as ComponentKind, glue: new TextDecoder().decode(glue), modules, engines };
}

function republish(componentId: string, why: string, cause?: unknown): TwirlError {
  return new TwirlError('prepared-invalid', `component ${componentId}: ${why}; publish the app again`, cause === undefined ? undefined : { cause });
}
