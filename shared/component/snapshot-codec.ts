/**
 * The stored form of an engine snapshot: a small header (engine digest, memory size, globals)
 * and a page table pointing into a page pool that several snapshots may share.
 *
 * Layout, little-endian: "TWSN", version u32, engine digest (32 bytes), memory pages u32,
 * global count u32 then (index u32, value type u32, value 8 bytes) each, page count u32 then
 * (page number u32, pool index u32) each.
 */
import { TwirlError } from '../errors.ts';
import { ValueType } from '../wasm/module-layout.ts';
import { snapshotPageBytes, type EngineSnapshot, type PagePool, type SnapshotGlobal } from './engine-snapshot.ts';

const MAGIC = 0x4e535754; // "TWSN"
const VERSION = 1;

export function encodeSnapshot(snapshot: EngineSnapshot, pool: PagePool): Uint8Array {
  const size = 4 + 4 + 32 + 4 + 4 + snapshot.globals.length * 16 + 4 + snapshot.pages.size * 8;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let at = 0;
  const u32 = (v: number) => {
    view.setUint32(at, v, true);
    at += 4;
  };
  u32(MAGIC);
  u32(VERSION);
  out.set(hexBytes(snapshot.engineDigest), at);
  at += 32;
  u32(snapshot.memoryPages);
  u32(snapshot.globals.length);
  for (const g of snapshot.globals) {
    u32(g.index);
    u32(g.valueType);
    if (g.valueType === ValueType.f32 || g.valueType === ValueType.f64) view.setFloat64(at, Number(g.value), true);
    else view.setBigInt64(at, BigInt(g.value), true);
    at += 8;
  }
  u32(snapshot.pages.size);
  for (const [page, content] of [...snapshot.pages].sort(([a], [b]) => a - b)) {
    u32(page);
    u32(pool.add(content));
  }
  return out;
}

/**
 * Reads a snapshot whose pages are in `pool`: pages back to back, as `PagePool.bytes()` writes
 * them, or several such runs one after the other (a world's base pages, then a build's own),
 * which spares joining them into one copy.
 */
export function decodeSnapshot(bytes: Uint8Array, pool: Uint8Array | readonly Uint8Array[]): EngineSnapshot {
  // Pages are compared and copied a word at a time: keep them 4-byte aligned.
  const runs = (pool instanceof Uint8Array ? [pool] : pool).map((run) => (run.byteOffset % 4 !== 0 ? run.slice() : run));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  const u32 = () => {
    if (at + 4 > bytes.length) invalid('it ends early');
    const v = view.getUint32(at, true);
    at += 4;
    return v;
  };
  if (bytes.length < 44 || u32() !== MAGIC) invalid('it is not a Twirl engine snapshot');
  const version = u32();
  if (version !== VERSION) invalid(`it is version ${version}, this Twirl reads version ${VERSION}; rebuild the component`);
  const engineDigest = Array.from(bytes.subarray(at, at + 32), (b) => b.toString(16).padStart(2, '0')).join('');
  at += 32;
  const memoryPages = u32();
  const globals: SnapshotGlobal[] = [];
  for (let n = u32(); n > 0; n--) {
    const index = u32();
    const valueType = u32();
    if (at + 8 > bytes.length) invalid('it ends early');
    const value = valueType === ValueType.f32 || valueType === ValueType.f64 ? view.getFloat64(at, true) : valueType === ValueType.i64 ? view.getBigInt64(at, true) : Number(view.getBigInt64(at, true));
    at += 8;
    globals.push({ index, valueType, value });
  }
  const runPages = runs.map((run) => Math.floor(run.length / snapshotPageBytes));
  const poolPages = runPages.reduce((a, b) => a + b, 0);
  const memoryLimit = (memoryPages * 65536) / snapshotPageBytes;
  const pages = new Map<number, Uint8Array>();
  for (let n = u32(); n > 0; n--) {
    const page = u32();
    let index = u32();
    if (index >= poolPages || page >= memoryLimit) invalid(`page ${page} lies outside its memory or its page pool`);
    let run = 0;
    while (index >= runPages[run]!) index -= runPages[run++]!;
    pages.set(page, runs[run]!.subarray(index * snapshotPageBytes, (index + 1) * snapshotPageBytes));
  }
  return { engineDigest, memoryPages, globals, pages };
}

function invalid(why: string): never {
  throw new TwirlError('snapshot-invalid', `cannot read the component's engine snapshot: ${why}`);
}

function hexBytes(hex: string): Uint8Array {
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new TwirlError('snapshot-invalid', `not a SHA-256 digest: ${hex}`);
  return Uint8Array.from(hex.match(/../g)!, (b) => parseInt(b, 16));
}
