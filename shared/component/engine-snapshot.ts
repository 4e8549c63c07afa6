/**
 * A JS component's own state, apart from the engine that runs it: the memory image (its
 * non-zero 4 KiB pages), the values of the mutable globals and the memory's size, tied by digest
 * to the one engine it was made for. Writing it into a fresh engine instance gives an instance
 * equivalent to the pre-initialised module's.
 *
 * Encoded, a snapshot names its pages by index into a page pool, so the pages that several
 * snapshots share (most of them, for one engine) are stored once.
 */
import { TwirlError } from '../errors.ts';
import { globalExportPrefix } from './rewrite-module.ts';
import { dirtyMapExport } from './write-tracking.ts';
import { ValueType } from '../wasm/module-layout.ts';

export const snapshotPageBytes = 4096;

export interface SnapshotGlobal {
  /** Index in the module's global index space; the engine exports it as `twirl-global-<index>`. */
  index: number;
  valueType: number;
  value: number | bigint;
}

export interface EngineSnapshot {
  /** Hex SHA-256 of the engine module this snapshot applies to. */
  engineDigest: string;
  /** Linear memory size, in 64 KiB Wasm pages. */
  memoryPages: number;
  globals: SnapshotGlobal[];
  /** Non-zero 4 KiB pages of memory by page number; the rest of memory is zero. */
  pages: Map<number, Uint8Array>;
}

/** A snapshot applied to an engine it was not made for: the component must be built again. */
export class SnapshotEngineMismatch extends TwirlError {
  constructor(snapshotEngine: string, engine: string) {
    super(
      'snapshot-engine-mismatch',
      `this component's snapshot was made for engine ${snapshotEngine.slice(0, 12)}, not for engine ${engine.slice(0, 12)} it would run on; rebuild the component`,
    );
    this.name = 'SnapshotEngineMismatch';
  }
}

/** Refuses a snapshot made for another engine. */
export function checkEngine(snapshot: EngineSnapshot, engineDigest: string): EngineSnapshot {
  if (snapshot.engineDigest !== engineDigest) throw new SnapshotEngineMismatch(snapshot.engineDigest, engineDigest);
  return snapshot;
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Writes the snapshot into a just-instantiated engine, before any of its code has run: grows
 * memory to the snapshot's size, copies the pages in, sets the globals.
 */
export function applySnapshot(instance: WebAssembly.Instance, snapshot: EngineSnapshot): void {
  const memory = Object.entries(instance.exports).find(([name, e]) => e instanceof WebAssembly.Memory && name !== dirtyMapExport)?.[1] as
    | WebAssembly.Memory
    | undefined;
  if (!memory) throw new TwirlError('snapshot-invalid', 'the engine exports no memory to write the snapshot into');
  const have = memory.buffer.byteLength / 65536;
  if (have < snapshot.memoryPages) memory.grow(snapshot.memoryPages - have);
  const bytes = new Uint8Array(memory.buffer);
  for (const [page, content] of snapshot.pages) bytes.set(content, page * snapshotPageBytes);
  for (const g of snapshot.globals) {
    const global = instance.exports[globalExportPrefix + g.index];
    if (!(global instanceof WebAssembly.Global)) throw new TwirlError('snapshot-invalid', `the engine exports no global ${g.index} to write the snapshot into`);
    global.value = g.valueType === ValueType.i64 ? BigInt(g.value) : Number(g.value);
  }
}

/** Pages by content: each distinct page is kept once, in the order first added. */
export class PagePool {
  readonly #pages: Uint8Array[] = [];
  readonly #byHash = new Map<number, number[]>();

  add(page: Uint8Array): number {
    const hash = pageHash(page);
    const candidates = this.#byHash.get(hash) ?? [];
    for (const i of candidates) if (samePage(this.#pages[i]!, page)) return i;
    this.#pages.push(page);
    this.#byHash.set(hash, [...candidates, this.#pages.length - 1]);
    return this.#pages.length - 1;
  }

  get size(): number {
    return this.#pages.length;
  }

  /** A pool holding the same pages, to add more to while this one stays as it is (e.g. a world's base pages, for each of its builds). */
  fork(): PagePool {
    const copy = new PagePool();
    copy.#pages.push(...this.#pages);
    for (const [hash, indexes] of this.#byHash) copy.#byHash.set(hash, indexes);
    return copy;
  }

  /** The pages from index `from` on, back to back. */
  bytes(from = 0): Uint8Array {
    const out = new Uint8Array(Math.max(0, this.#pages.length - from) * snapshotPageBytes);
    for (let i = from; i < this.#pages.length; i++) out.set(this.#pages[i]!, (i - from) * snapshotPageBytes);
    return out;
  }
}

/** FNV-1a over the page's 32-bit words; equal hashes are confirmed byte by byte. */
function pageHash(page: Uint8Array): number {
  const words = new Uint32Array(page.buffer, page.byteOffset, page.length >> 2);
  let h = 0x811c9dc5;
  for (let i = 0; i < words.length; i++) h = Math.imul(h ^ words[i]!, 0x01000193);
  return h >>> 0;
}

function samePage(a: Uint8Array, b: Uint8Array): boolean {
  const wa = new Uint32Array(a.buffer, a.byteOffset, a.length >> 2);
  const wb = new Uint32Array(b.buffer, b.byteOffset, b.length >> 2);
  for (let i = 0; i < wa.length; i++) if (wa[i] !== wb[i]) return false;
  return true;
}
