/**
 * The host interfaces a Spin 1.x module imports (`wasi-outbound-http`, `key-value`,
 * `spin-config`), in wit-bindgen 0.2's ABI, over the same ports, allow-list and
 * key-value grants as components. Each result goes to the return area the module passes last.
 */
import type { KeyValueStore } from '../../ports.ts';
import type { InstanceContext } from '../imports.ts';
import { GuestMemory, METHODS, writeResponse } from './abi.ts';
import { messageOf } from '../../errors.ts';

/** `http-error` in declaration order. */
const HttpError = { destinationNotAllowed: 1, invalidUrl: 2, requestError: 3 } as const;
/** `key-value` `error` in declaration order. */
const KvError = { noSuchStore: 1, accessDenied: 2, invalidStore: 3, noSuchKey: 4, io: 5 } as const;

type Fn = (...args: number[]) => unknown;
type Async = (...args: number[]) => Promise<unknown>;

export interface LegacyImports {
  sync: Record<string, Record<string, Fn>>;
  /** Imports that wait on the host; the module suspends on them through JSPI. */
  async: Record<string, Record<string, Async>>;
}

/** An `expected<_, _>` that failed: tag 1, then `write` sets the error (at offset 4 here, all ok values being 4-aligned). */
function fail(mem: GuestMemory, ret: number, write: (view: DataView) => void = () => {}): void {
  const view = mem.view();
  view.setUint8(ret, 1);
  write(view);
}

export function legacyImports(mem: GuestMemory, current: () => InstanceContext): LegacyImports {
  const stores = new Map<number, KeyValueStore>();
  let nextStore = 1;
  const kvError = (ret: number, code: number, message?: string) =>
    fail(mem, ret, (view) => {
      view.setUint8(ret + 4, code);
      if (message !== undefined) {
        const [p, l] = mem.putString(message);
        const after = mem.view();
        after.setUint32(ret + 8, p, true);
        after.setUint32(ret + 12, l, true);
      }
    });
  const ok = (ret: number) => mem.view().setUint8(ret, 0);
  /** Runs a key-value call on an open store; backend failures come back as `io`. */
  const withStore = async (handle: number, ret: number, op: (store: KeyValueStore) => Promise<void>) => {
    const store = stores.get(handle);
    if (!store) return kvError(ret, KvError.invalidStore);
    try {
      await op(store);
    } catch (err) {
      kvError(ret, KvError.io, messageOf(err));
    }
  };

  return {
    sync: {
      'key-value': { close: (handle) => void stores.delete(handle) },
    },
    async: {
      'wasi-outbound-http': {
        async request(method, uriPtr, uriLen, hPtr, hLen, _pPtr, _pLen, hasBody, bPtr, bLen, ret) {
          const outbound = current().outbound;
          let url: URL;
          try {
            url = new URL(mem.string(uriPtr, uriLen));
          } catch {
            return fail(mem, ret, (v) => v.setUint8(ret + 4, HttpError.invalidUrl));
          }
          if (!outbound.allows(url)) {
            outbound.denied(url.href);
            return fail(mem, ret, (v) => v.setUint8(ret + 4, HttpError.destinationNotAllowed));
          }
          const name = METHODS[method] ?? 'GET';
          const body = hasBody && name !== 'GET' && name !== 'HEAD' ? mem.bytes(bPtr, bLen) : null;
          try {
            const response = await outbound.fetch(new Request(url, { method: name, headers: mem.pairs(hPtr, hLen), body: body as BodyInit | null }));
            const bytes = new Uint8Array(await response.arrayBuffer());
            ok(ret);
            writeResponse(mem, ret + 4, { status: response.status, headers: [...response.headers], body: bytes });
          } catch {
            fail(mem, ret, (v) => v.setUint8(ret + 4, HttpError.requestError));
          }
        },
      },
      'key-value': {
        async open(ptr, len, ret) {
          const access = current().keyValue;
          const label = mem.string(ptr, len);
          if (!access.allowed.includes(label)) {
            access.denied(label);
            return kvError(ret, KvError.accessDenied);
          }
          try {
            const handle = nextStore++;
            stores.set(handle, await access.backend.open(label));
            ok(ret);
            mem.view().setUint32(ret + 4, handle, true);
          } catch (err) {
            kvError(ret, KvError.io, messageOf(err));
          }
        },
        get: (handle, kPtr, kLen, ret) =>
          withStore(handle, ret, async (store) => {
            const value = await store.get(mem.string(kPtr, kLen));
            if (value === undefined) return kvError(ret, KvError.noSuchKey);
            const [p, l] = mem.putBytes(value);
            const view = mem.view();
            view.setUint8(ret, 0);
            view.setUint32(ret + 4, p, true);
            view.setUint32(ret + 8, l, true);
          }),
        set: (handle, kPtr, kLen, vPtr, vLen, ret) =>
          withStore(handle, ret, async (store) => {
            const { maxKeyBytes, maxValueBytes } = current().keyValue.limits;
            if (kLen > maxKeyBytes || vLen > maxValueBytes) return kvError(ret, KvError.io, `key over ${maxKeyBytes} or value over ${maxValueBytes} bytes`);
            await store.set(mem.string(kPtr, kLen), mem.bytes(vPtr, vLen));
            ok(ret);
          }),
        delete: (handle, kPtr, kLen, ret) =>
          withStore(handle, ret, async (store) => {
            await store.delete(mem.string(kPtr, kLen));
            ok(ret);
          }),
        exists: (handle, kPtr, kLen, ret) =>
          withStore(handle, ret, async (store) => {
            const found = await store.exists(mem.string(kPtr, kLen));
            ok(ret);
            mem.view().setUint8(ret + 4, found ? 1 : 0);
          }),
        'get-keys': (handle, ret) =>
          withStore(handle, ret, async (store) => {
            const [p, l] = mem.putStrings(await store.keys());
            const view = mem.view();
            view.setUint8(ret, 0);
            view.setUint32(ret + 4, p, true);
            view.setUint32(ret + 8, l, true);
          }),
      },
    },
  };
}

/** `spin-config` `error`: provider(string), invalid-key(string), invalid-schema(string), other(string). */
export function configImports(mem: GuestMemory, current: () => InstanceContext): Record<string, Fn> {
  return {
    'get-config'(ptr, len, ret) {
      const key = mem.string(ptr, len);
      const value = Object.hasOwn(current().variables, key) ? current().variables[key] : undefined;
      const [p, l] = mem.putString(value ?? `no variable named ${key}`);
      const view = mem.view();
      if (value === undefined) {
        view.setUint8(ret, 1);
        view.setUint8(ret + 4, 1); // invalid-key
        view.setUint32(ret + 8, p, true);
        view.setUint32(ret + 12, l, true);
      } else {
        view.setUint8(ret, 0);
        view.setUint32(ret + 4, p, true);
        view.setUint32(ret + 8, l, true);
      }
    },
  };
}
