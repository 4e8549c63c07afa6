/** wasi:http `fields` (headers and trailers), plus the method and scheme variants. */
import { wasiError } from './io.ts';

type HeaderError = { tag: 'invalid-syntax' } | { tag: 'forbidden' } | { tag: 'immutable' };
const tokenPattern = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const latin1 = new TextDecoder('latin1');
const utf8 = new TextEncoder();

function checkName(name: string): string {
  if (!tokenPattern.test(name)) throw wasiError<HeaderError>({ tag: 'invalid-syntax' });
  return name.toLowerCase();
}
function checkValue(value: Uint8Array): Uint8Array {
  for (const b of value) {
    if (b === 0x0a || b === 0x0d || b === 0) throw wasiError<HeaderError>({ tag: 'invalid-syntax' });
  }
  return value;
}

export class Fields {
  /** Lowercased name → values, in insertion order; names keep the case they were first given. */
  #encoded: Array<[string, Uint8Array]> = [];
  /** Web headers not read yet: most components never read their request's. */
  #unencoded: { headers: Iterable<[string, string]>; encoder: TextEncoder } | undefined;
  #immutable = false;

  get #entries(): Array<[string, Uint8Array]> {
    if (this.#unencoded) {
      const { headers, encoder } = this.#unencoded;
      this.#unencoded = undefined;
      for (const [name, value] of headers) this.#encoded.push([name.toLowerCase(), encoder.encode(value)]);
    }
    return this.#encoded;
  }
  set #entries(entries: Array<[string, Uint8Array]>) {
    this.#unencoded = undefined;
    this.#encoded = entries;
  }

  static fromList(entries: Array<[string, Uint8Array]>): Fields {
    const fields = new Fields();
    for (const [name, value] of entries) fields.#entries.push([checkName(name), checkValue(value)]);
    return fields;
  }
  /** Host side: immutable fields from web headers plus extra ones, iterated (once) when first read. */
  static fromHeaders(headers: Iterable<[string, string]>, encoder = utf8): Fields {
    const fields = new Fields();
    fields.#unencoded = { headers, encoder };
    fields.#immutable = true;
    return fields;
  }

  /** Host side: the same entries, read-only (what `headers()` of a request or response returns). */
  frozen(): Fields {
    const view = new Fields();
    view.#entries = this.#entries;
    view.#immutable = true;
    return view;
  }

  #mutate(): void {
    if (this.#immutable) throw wasiError<HeaderError>({ tag: 'immutable' });
  }

  get(name: string): Uint8Array[] {
    const key = name.toLowerCase();
    return this.#entries.filter(([n]) => n === key).map(([, v]) => v);
  }
  has(name: string): boolean {
    const key = name.toLowerCase();
    return this.#entries.some(([n]) => n === key);
  }
  set(name: string, values: Uint8Array[]): void {
    this.#mutate();
    const key = checkName(name);
    values.forEach(checkValue);
    this.#entries = this.#entries.filter(([n]) => n !== key).concat(values.map((v) => [key, v]));
  }
  delete(name: string): void {
    this.#mutate();
    const key = checkName(name);
    this.#entries = this.#entries.filter(([n]) => n !== key);
  }
  append(name: string, value: Uint8Array): void {
    this.#mutate();
    this.#entries.push([checkName(name), checkValue(value)]);
  }
  entries(): Array<[string, Uint8Array]> {
    return this.#entries.map(([n, v]) => [n, v]);
  }
  clone(): Fields {
    const copy = new Fields();
    copy.#entries = this.entries();
    return copy;
  }
  /** Host side: as web headers (values read as Latin-1, as HTTP does). */
  toHeaders(): Headers {
    const headers = new Headers();
    for (const [name, value] of this.#entries) headers.append(name, latin1.decode(value));
    return headers;
  }
}

export type Method = { tag: 'get' | 'head' | 'post' | 'put' | 'delete' | 'connect' | 'options' | 'trace' | 'patch' } | { tag: 'other'; val: string };
export type Scheme = { tag: 'HTTP' | 'HTTPS' } | { tag: 'other'; val: string };

const knownMethods = new Set(['get', 'head', 'post', 'put', 'delete', 'connect', 'options', 'trace', 'patch']);

export function methodFromString(method: string): Method {
  const lower = method.toLowerCase();
  return knownMethods.has(lower) ? ({ tag: lower } as Method) : { tag: 'other', val: method };
}
export function methodToString(method: Method): string {
  return method.tag === 'other' ? method.val : method.tag.toUpperCase();
}
export function schemeFromProtocol(protocol: string): Scheme {
  const name = protocol.replace(/:$/, '').toLowerCase();
  if (name === 'http') return { tag: 'HTTP' };
  if (name === 'https') return { tag: 'HTTPS' };
  return { tag: 'other', val: name };
}
export function schemeToString(scheme: Scheme): string {
  return scheme.tag === 'other' ? scheme.val : scheme.tag.toLowerCase();
}
