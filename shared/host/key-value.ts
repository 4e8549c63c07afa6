/**
 * Spin key-value (fermyon:spin/key-value@2.0.0, spin:key-value@3.0.0) and wasi:keyvalue/store,
 * over the host's KeyValueBackend. A component opens only the stores its manifest lists.
 */
import type { KeyValueBackend, KeyValueStore } from '../ports.ts';
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
}

const encoder = new TextEncoder();

function checkLimits(access: KeyValueAccess, key: string, value?: Uint8Array): void {
  if (encoder.encode(key).length > access.limits.maxKeyBytes)
    throw wasiError<SpinKvError>({ tag: 'other', val: `key longer than ${access.limits.maxKeyBytes} bytes` });
  if (value && value.length > access.limits.maxValueBytes)
    throw wasiError<SpinKvError>({ tag: 'other', val: `value larger than ${access.limits.maxValueBytes} bytes` });
}

async function openChecked(access: KeyValueAccess, label: string): Promise<KeyValueStore> {
  // Spin answers access-denied for any label the component is not granted, whether or not
  // another component (or the runtime config) knows the store: the guest learns nothing more.
  if (!access.allowed.includes(label)) {
    access.denied(label);
    throw wasiError<SpinKvError>({ tag: 'access-denied' });
  }
  return access.backend.open(label);
}

/** Backend failures reach the guest as `other`, never as a trap. */
async function guarded<T>(op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    if (err && typeof err === 'object' && 'payload' in err) throw err;
    throw wasiError<SpinKvError>({ tag: 'other', val: messageOf(err) });
  }
}

/** The `store` resource; a class per instance so `open` knows whose access applies. */
function spinStoreClass(current: () => KeyValueAccess) {
  return class Store {
    readonly #store: KeyValueStore;
    constructor(store: KeyValueStore) {
      this.#store = store;
    }
    static async open(label: string): Promise<Store> {
      return new Store(await openChecked(current(), label));
    }
    get(key: string): Promise<Uint8Array | undefined> {
      return guarded(() => this.#store.get(key));
    }
    set(key: string, value: Uint8Array): Promise<void> {
      checkLimits(current(), key, value);
      return guarded(() => this.#store.set(key, value));
    }
    delete(key: string): Promise<void> {
      return guarded(() => this.#store.delete(key));
    }
    exists(key: string): Promise<boolean> {
      return guarded(() => this.#store.exists(key));
    }
    getKeys(): Promise<string[]> {
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
    async listKeys(_cursor: string | undefined) {
      return { keys: await guarded(() => this.store.keys()), cursor: undefined };
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
      async open(identifier: string) {
        try {
          return new Bucket(await openChecked(current(), identifier));
        } catch (err) {
          throw wasiError<WasiKvError>((err as { payload: WasiKvError }).payload);
        }
      },
    },
    'wasi:keyvalue/atomics': {
      // Not atomic across hosts' concurrent requests on every backend; exact on the Durable Object one.
      async increment(bucket: InstanceType<typeof Bucket>, key: string, delta: bigint): Promise<bigint> {
        const current = await bucket.get(key);
        const next = (current ? BigInt(decoder.decode(current)) : 0n) + delta;
        await bucket.set(key, encoder.encode(next.toString()));
        return next;
      },
    },
  };
}
