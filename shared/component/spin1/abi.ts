/**
 * The pre-component canonical ABI of wit-bindgen 0.2, as Spin 1.x modules speak it: strings and
 * lists are (pointer, length) pairs in the module's memory, allocated by its exported
 * `canonical_abi_realloc(old, old_size, align, new_size)`; results are written to a return area.
 */

export type Realloc = (old: number, oldSize: number, align: number, size: number) => number;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A module's memory and allocator; views are made fresh each time since memory may grow. */
export class GuestMemory {
  readonly #memory: () => WebAssembly.Memory;
  readonly #realloc: () => Realloc;

  constructor(memory: () => WebAssembly.Memory, realloc: () => Realloc) {
    this.#memory = memory;
    this.#realloc = realloc;
  }

  view(): DataView {
    return new DataView(this.#memory().buffer);
  }
  bytes(ptr: number, len: number): Uint8Array {
    return new Uint8Array(this.#memory().buffer, ptr, len).slice();
  }
  string(ptr: number, len: number): string {
    return decoder.decode(new Uint8Array(this.#memory().buffer, ptr, len));
  }
  /** `list<tuple<string, string>>`: 16 bytes an element. */
  pairs(ptr: number, len: number): Array<[string, string]> {
    const view = this.view();
    return Array.from({ length: len }, (_, i) => {
      const at = ptr + i * 16;
      return [this.string(view.getUint32(at, true), view.getUint32(at + 4, true)), this.string(view.getUint32(at + 8, true), view.getUint32(at + 12, true))];
    });
  }

  alloc(size: number, align: number): number {
    if (size === 0) return align;
    return this.#realloc()(0, 0, align, size);
  }
  /** Copies bytes in; returns [ptr, len]. */
  putBytes(data: Uint8Array): [number, number] {
    const ptr = this.alloc(data.length, 1);
    new Uint8Array(this.#memory().buffer, ptr, data.length).set(data);
    return [ptr, data.length];
  }
  putString(text: string): [number, number] {
    return this.putBytes(encoder.encode(text));
  }
  putPairs(pairs: ReadonlyArray<readonly [string, string]>): [number, number] {
    const placed = pairs.map(([a, b]) => [...this.putString(a), ...this.putString(b)]);
    const ptr = this.alloc(placed.length * 16, 4);
    const view = this.view();
    placed.forEach((fields, i) => fields.forEach((v, j) => view.setUint32(ptr + i * 16 + j * 4, v, true)));
    return [ptr, placed.length];
  }
  putStrings(items: readonly string[]): [number, number] {
    const placed = items.map((s) => this.putString(s));
    const ptr = this.alloc(placed.length * 8, 4);
    const view = this.view();
    placed.forEach(([p, l], i) => {
      view.setUint32(ptr + i * 8, p, true);
      view.setUint32(ptr + i * 8 + 4, l, true);
    });
    return [ptr, placed.length];
  }
}

/** Spin 1.x `http-types` `method`, in declaration order. */
export const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'] as const;

export interface LegacyResponse {
  status: number;
  headers?: Array<[string, string]>;
  body?: Uint8Array;
}

/** Reads an `http-types` `response` record at `ptr` (status u16, option<headers>, option<body>). */
export function readResponse(mem: GuestMemory, ptr: number): LegacyResponse {
  const view = mem.view();
  const response: LegacyResponse = { status: view.getUint16(ptr, true) };
  if (view.getUint8(ptr + 4)) response.headers = mem.pairs(view.getUint32(ptr + 8, true), view.getUint32(ptr + 12, true));
  if (view.getUint8(ptr + 16)) response.body = mem.bytes(view.getUint32(ptr + 20, true), view.getUint32(ptr + 24, true));
  return response;
}

/** Writes a `response` record at `ptr`, its lists allocated in the guest. */
export function writeResponse(mem: GuestMemory, ptr: number, response: Required<LegacyResponse>): void {
  const [hp, hl] = mem.putPairs(response.headers);
  const [bp, bl] = mem.putBytes(response.body);
  const view = mem.view();
  view.setUint16(ptr, response.status, true);
  view.setUint8(ptr + 4, 1);
  view.setUint32(ptr + 8, hp, true);
  view.setUint32(ptr + 12, hl, true);
  view.setUint8(ptr + 16, 1);
  view.setUint32(ptr + 20, bp, true);
  view.setUint32(ptr + 24, bl, true);
}
