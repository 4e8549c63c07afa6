/**
 * Spin key-value (fermyon:spin/key-value@2.0.0, spin:key-value@3.0.0) and wasi:keyvalue/store,
 * over the host's KeyValueBackend. A component opens only the stores its manifest lists.
 * Each call answers at once when its store is in memory (`loaded`, as a component that cannot
 * wait on the host needs) or its backend answers at once; otherwise it answers with a promise.
 */
import type { KeyValueBackend, KeyValueStore, Maybe } from '../ports.ts';
import type { LoadedKeyValueStore } from './key-value-write-behind.ts';
import { wasiError } from './wasi/io.ts';
import { messageOf } from '../errors.ts';

type SpinKvError = { tag: 'store-table-full' | 'no-such-store' | 'access-denied' } | { tag: 'other'; val: string };

export interface KeyValueAccess {
  backend: KeyValueBackend;
  /** Labels this component lists in `key_value_stores`. */
  allowed: readonly string[];
  limits: { maxKeyBytes: number; maxValueBytes: number };
  /** Told about each refused open, so the user can see why. */
  denied: (label: string) => void;
  /** The stores loaded into memory for this request, when the guest cannot wait on the backend. */
  loaded?: ReadonlyMap<string, LoadedKeyValueStore>;
}

/** `then` for an answer that may already be there. */
function map<T, U>(value: Maybe<T>, next: (value: T) => U): Maybe<U> {
  return value instanceof Promise ? value.then(next) : next(value);
}

const encoder = new TextEncoder();

function checkLimits(access: KeyValueAccess, key: string, value?: Uint8Array): void {
  if (encoder.encode(key).length > access.limits.maxKeyBytes)
    throw wasiError<SpinKvError>({ tag: 'other', val: `key longer than ${access.limits.maxKeyBytes} bytes` });
  if (value && value.length > access.limits.maxValueBytes)
    throw wasiError<SpinKvError>({ tag: 'other', val: `value larger than ${access.limits.maxValueBytes} bytes` });
}

function openChecked(access: KeyValueAccess, label: string): Maybe<KeyValueStore> {
  // Spin answers access-denied for any label the component is not granted, whether or not
  // another component (or the runtime config) knows the store: the guest learns nothing more.
  if (!access.allowed.includes(label)) {
    access.denied(label);
    throw wasiError<SpinKvError>({ tag: 'access-denied' });
  }
  return access.loaded?.get(label) ?? access.backend.open(label);
}

function asOther(err: unknown): never {
  if (err && typeof err === 'object' && 'payload' in err) throw err;
  throw wasiError<SpinKvError>({ tag: 'other', val: messageOf(err) });
}

/** Backend failures reach the guest as `other`, never as a trap. */
function guarded<T>(op: () => Maybe<T>): Maybe<T> {
  try {
    const result = op();
    return result instanceof Promise ? result.catch(asOther) : result;
  } catch (err) {
    return asOther(err);
  }
}

/** The `store` resource; a class per instance so `open` knows whose access applies. */
function spinStoreClass(current: () => KeyValueAccess) {
  return class Store {
    readonly #store: KeyValueStore;
    constructor(store: KeyValueStore) {
      this.#store = store;
    }
    static open(label: string): Maybe<Store> {
      return map(openChecked(current(), label), (store) => new Store(store));
    }
    get(key: string): Maybe<Uint8Array | undefined> {
      return guarded(() => this.#store.get(key));
    }
    set(key: string, value: Uint8Array): Maybe<void> {
      checkLimits(current(), key, value);
      return guarded(() => this.#store.set(key, value));
    }
    delete(key: string): Maybe<void> {
      return guarded(() => this.#store.delete(key));
    }
    exists(key: string): Maybe<boolean> {
      return guarded(() => this.#store.exists(key));
    }
    getKeys(): Maybe<string[]> {
      return guarded(() => this.#store.keys());
    }
  };
}

type WasiKvError = { tag: 'no-such-store' | 'access-denied' } | { tag: 'other'; val: string };

function wasiBucketClass(current: () => KeyValueAccess) {
  return class Bucket {
    readonly store: KeyValueStore;
    constructor(store: KeyValueStore) {
      this.store = store;
    }
    get(key: string) {
      return guarded(() => this.store.get(key));
    }
    set(key: string, value: Uint8Array) {
      checkLimits(current(), key, value);
      return guarded(() => this.store.set(key, value));
    }
    delete(key: string) {
      return guarded(() => this.store.delete(key));
    }
    exists(key: string) {
      return guarded(() => this.store.exists(key));
    }
    listKeys(_cursor: string | undefined) {
      return map(guarded(() => this.store.keys()), (keys) => ({ keys, cursor: undefined }));
    }
  };
}

/** `current` gives the access of the request the instance is serving now. */
export function keyValueImports(current: () => KeyValueAccess) {
  const Store = spinStoreClass(current);
  const Bucket = wasiBucketClass(current);
  const decoder = new TextDecoder();
  return {
    'fermyon:spin/key-value': { Store },
    'spin:key-value/key-value': { Store },
    'wasi:keyvalue/store': {
      Bucket,
      open(identifier: string) {
        const relabel = (err: unknown): never => {
          throw wasiError<WasiKvError>((err as { payload: WasiKvError }).payload);
        };
        try {
          const opened = map(openChecked(current(), identifier), (store) => new Bucket(store));
          return opened instanceof Promise ? opened.catch(relabel) : opened;
        } catch (err) {
          return relabel(err);
        }
      },
    },
    'wasi:keyvalue/atomics': {
      // Not atomic across hosts' concurrent requests on every backend; exact on the Durable Object one.
      increment(bucket: InstanceType<typeof Bucket>, key: string, delta: bigint): Maybe<bigint> {
        return map(bucket.get(key), (current) => {
          const next = (current ? BigInt(decoder.decode(current)) : 0n) + delta;
          return map(bucket.set(key, encoder.encode(next.toString())), () => next);
        }) as Maybe<bigint>;
      },
    },
  };
}
