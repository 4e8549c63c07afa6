/**
 * Zips written byte by byte, so they can lie: each entry declares whatever uncompressed size the
 * test wants while its deflated data inflates to something else entirely.
 */
import { Deflate } from 'fflate';

export interface CraftedEntry {
  name: string;
  /** Raw deflate data (method 8). */
  deflated: Uint8Array;
  /** The uncompressed size both headers claim. */
  declaredSize: number;
}

/**
 * Raw deflate of `mib` (≥ 2) MiB of zeros, fast: the second MiB, cut off by a sync flush (so it
 * ends on a byte boundary) and only referring back to zeros, is valid again after any number of
 * copies of itself.
 */
export function deflatedZeros(mib: number): Uint8Array {
  const parts: Uint8Array[] = [];
  const deflate = new Deflate({ level: 1 }, (chunk) => void parts.push(chunk));
  const zeros = new Uint8Array(1024 * 1024);
  deflate.push(zeros);
  deflate.flush(true);
  const first = concat(parts.splice(0));
  deflate.push(zeros);
  deflate.flush(true);
  const repeated = concat(parts.splice(0));
  deflate.push(new Uint8Array(0), true);
  return concat([first, ...Array.from({ length: mib - 1 }, () => repeated), ...parts]);
}

export function craftZip(entries: CraftedEntry[]): Uint8Array {
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = new TextEncoder().encode(entry.name);
    const local = header(0x04034b50, 30, name, entry, undefined);
    locals.push(local, entry.deflated);
    centrals.push(header(0x02014b50, 46, name, entry, offset));
    offset += local.length + entry.deflated.length;
  }
  const directory = concat(centrals);
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, entries.length, true);
  end.setUint16(10, entries.length, true);
  end.setUint32(12, directory.length, true);
  end.setUint32(16, offset, true);
  return concat([...locals, directory, new Uint8Array(end.buffer)]);
}

/** A local (30-byte) or central (46-byte) file header followed by the name. */
function header(signature: number, size: number, name: Uint8Array, entry: CraftedEntry, offset: number | undefined): Uint8Array {
  const view = new DataView(new ArrayBuffer(size + name.length));
  const central = offset !== undefined;
  const at = central ? 2 : 0; // a central header has "version made by" before the common fields
  view.setUint32(0, signature, true);
  if (central) view.setUint16(4, 20, true);
  view.setUint16(4 + at, 20, true); // version needed
  view.setUint16(8 + at, 8, true); // deflate
  view.setUint32(18 + at, entry.deflated.length, true);
  view.setUint32(22 + at, entry.declaredSize, true);
  view.setUint16(26 + at, name.length, true);
  if (central) view.setUint32(42, offset, true);
  new Uint8Array(view.buffer).set(name, size);
  return new Uint8Array(view.buffer);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
