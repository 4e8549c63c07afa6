/**
 * The state of a new instance, and writing it back: every memory's image and every mutable
 * global's value, captured right after instantiation. A reset copies back only the pages the
 * dirty-page map says were written (the whole image for a memory without one); an instance that
 * grew a memory or did something irreversible cannot be reset and must be replaced.
 */
import { dirtyPageBytes, dirtyPageShift, irreversibleExport, markMarginBytes } from './write-tracking.ts';
import type { CoreLinker } from './core-linker.ts';

/** One memory as a new instance has it. */
export interface MemoryImage {
  memory: WebAssembly.Memory;
  bytes: Uint8Array;
  /** One byte per 4 KiB page, set when the page was written; absent when writes are not tracked. */
  dirty?: Uint8Array;
}

export interface InstanceSnapshot {
  memories: MemoryImage[];
  globals: Array<{ global: WebAssembly.Global; value: unknown }>;
  /** Flags set by operations a reset cannot undo. */
  irreversible: WebAssembly.Global[];
}

function isMutable(global: WebAssembly.Global): boolean {
  // Immutable globals cannot change; writing one throws, which tells them apart.
  try {
    // oxlint-disable-next-line no-self-assign -- the write is the test: it throws for an immutable global.
    global.value = global.value;
    return true;
  } catch {
    return false;
  }
}

/**
 * `sibling`: the snapshot of another instance of the same component. A tracked memory that no
 * guest code wrote while it was instantiated (its dirty map is still clear) holds only what
 * instantiation put there — data segments, an engine snapshot — as the sibling's did: it shares
 * the sibling's image, read only, instead of a copy of its own (~9 MB for a JS engine).
 */
export function captureSnapshot(linker: CoreLinker, sibling?: InstanceSnapshot): InstanceSnapshot {
  const snapshot: InstanceSnapshot = { memories: [], globals: [], irreversible: [] };
  const maps = new Set(linker.maps.values());
  for (const core of linker.cores) {
    for (const [name, value] of Object.entries(core.exports)) {
      if (value instanceof WebAssembly.Memory) {
        if (maps.has(value) || snapshot.memories.some((m) => m.memory === value)) continue;
        const map = linker.untracked.has(value) ? undefined : linker.maps.get(value);
        const dirty = map && new Uint8Array(map.buffer, 0, Math.ceil(value.buffer.byteLength / dirtyPageBytes));
        const same = sibling?.memories[snapshot.memories.length];
        const shared = dirty && same?.dirty && same.bytes.length === value.buffer.byteLength && dirty.every((b) => b === 0);
        const image: MemoryImage = { memory: value, bytes: shared ? same.bytes : new Uint8Array(value.buffer).slice() };
        if (dirty) {
          image.dirty = dirty;
          dirty.fill(0);
        }
        snapshot.memories.push(image);
      } else if (value instanceof WebAssembly.Global && name === irreversibleExport) {
        snapshot.irreversible.push(value);
      } else if (value instanceof WebAssembly.Global && isMutable(value)) {
        snapshot.globals.push({ global: value, value: value.value });
      }
    }
  }
  return snapshot;
}

/** Copies back the pages marked dirty, then clears every mark at once. */
function restorePages(image: MemoryImage, dirty: Uint8Array): void {
  const target = new Uint8Array(image.memory.buffer);
  const words = new Uint32Array(dirty.buffer, dirty.byteOffset, dirty.length >>> 2);
  const pages = dirty.length;
  let page = 0;
  let any = false;
  while (page < pages) {
    // Skip clean pages eight at a time: most of the image is never written.
    if ((page & 7) === 0 && page + 8 <= pages && (words[page >>> 2]! | words[(page >>> 2) + 1]!) === 0) {
      page += 8;
      continue;
    }
    if (dirty[page] === 0) {
      page++;
      continue;
    }
    const first = page;
    while (page < pages && dirty[page] !== 0) page++;
    const start = first << dirtyPageShift;
    // A store marks the page it starts in, or its base address's (write-tracking.ts): either way it ends within the margin.
    const end = Math.min((page << dirtyPageShift) + markMarginBytes, image.bytes.length);
    target.set(image.bytes.subarray(start, end), start);
    any = true;
  }
  // One clear of the whole map costs less than one per run of dirty pages.
  if (any) dirty.fill(0);
}

/** Writes the snapshot back; false when that cannot make the instance new again. */
export function restoreSnapshot(snapshot: InstanceSnapshot): boolean {
  if (snapshot.irreversible.some((g) => g.value !== 0)) return false;
  for (const image of snapshot.memories) {
    // Memory cannot shrink: an instance that grew is replaced.
    if (image.memory.buffer.byteLength !== image.bytes.byteLength) return false;
    if (image.dirty) restorePages(image, image.dirty);
    else new Uint8Array(image.memory.buffer).set(image.bytes);
  }
  for (const { global, value } of snapshot.globals) global.value = value;
  return true;
}

/** Pages a request dirtied so far (for profiles); the whole image where writes are not tracked. */
export function dirtyPageCount(snapshot: InstanceSnapshot): number {
  let count = 0;
  for (const image of snapshot.memories) {
    if (!image.dirty) count += image.bytes.length / dirtyPageBytes;
    else for (const b of image.dirty) count += b === 0 ? 0 : 1;
  }
  return count;
}
