/**
 * Key-value data held in memory in front of a slower backend (IndexedDB, say): a component that
 * cannot wait on the host (no JSPI) reads and writes it at once. Before a request the stores the
 * component may open are loaded; its changes go to the backend after it, one at a time and in the
 * order they were made, so one writer per app keeps the backend equal to memory. A load that
 * follows writes reads the backend only once they have landed.
 */
import type { KeyValueBackend, KeyValueStore, Maybe } from '../ports.ts';
import { messageOf } from '../errors.ts';

/** A store answered from memory. */
export interface LoadedKeyValueStore {
  get(key: string): Uint8Array | undefined;
  set(key: string, value: Uint8Array): void;
  delete(key: string): void;
  exists(key: string): boolean;
  keys(): string[];
}

export interface WriteBehindOptions {
  /** Told when a write did not reach the backend (memory then holds data the backend lacks). */
  onWriteError?: (label: string, key: string, message: string) => void;
}

export class WriteBehindKeyValue implements KeyValueBackend {
  readonly #backend: KeyValueBackend;
  readonly #options: WriteBehindOptions;
  readonly #data = new Map<string, Promise<Map<string, Uint8Array>>>();
  readonly #stores = new Map<string, Promise<KeyValueStore>>();
  /** Every write queued so far, in order; never rejects. */
  #writes: Promise<void> = Promise.resolve();
  #pending = 0;

  constructor(backend: KeyValueBackend, options: WriteBehindOptions = {}) {
    this.#backend = backend;
    this.#options = options;
  }

  /** Each label's store, answering from memory: loaded once, and again after `invalidate`. */
  async load(labels: readonly string[]): Promise<ReadonlyMap<string, LoadedKeyValueStore>> {
    const loaded = await Promise.all(labels.map(async (label) => [label, this.#view(label, await this.#load(label))] as const));
    return new Map(loaded);
  }

  #load(label: string): Promise<Map<string, Uint8Array>> {
    let data = this.#data.get(label);
    if (!data) {
      const loading = this.#writes.then(() => this.#read(label));
      data = loading;
      this.#data.set(label, loading);
      loading.catch(() => {
        if (this.#data.get(label) === loading) this.#data.delete(label);
      });
    }
    return data;
  }

  async #read(label: string): Promise<Map<string, Uint8Array>> {
    const store = await this.#store(label);
    const entries = new Map<string, Uint8Array>();
    for (const key of await store.keys()) {
      const value = await store.get(key);
      if (value !== undefined) entries.set(key, value);
    }
    return entries;
  }

  #store(label: string): Promise<KeyValueStore> {
    let store = this.#stores.get(label);
    if (!store) {
      store = Promise.resolve(this.#backend.open(label));
      this.#stores.set(label, store);
      store.catch(() => this.#stores.delete(label));
    }
    return store;
  }

  /** A store over `data`: a request keeps the data it loaded even if memory is invalidated meanwhile. */
  #view(label: string, data: Map<string, Uint8Array>): LoadedKeyValueStore {
    return {
      get: (key) => data.get(key)?.slice(),
      set: (key, value) => {
        const kept = value.slice();
        data.set(key, kept);
        this.#queue(label, key, (store) => store.set(key, kept));
      },
      delete: (key) => {
        data.delete(key);
        this.#queue(label, key, (store) => store.delete(key));
      },
      exists: (key) => data.has(key),
      keys: () => [...data.keys()],
    };
  }

  /** The same data for callers that can wait: loads the label first, then answers at once. */
  async open(label: string): Promise<KeyValueStore> {
    return this.#view(label, await this.#load(label));
  }

  #queue(label: string, key: string, write: (store: KeyValueStore) => Maybe<void>): void {
    this.#pending++;
    this.#writes = this.#writes
      .then(() => this.#store(label))
      .then(write)
      .catch((err: unknown) => this.#options.onWriteError?.(label, key, messageOf(err)))
      .finally(() => this.#pending--);
  }

  /** Writes queued and not yet in the backend. */
  get pendingWrites(): number {
    return this.#pending;
  }

  /** Resolves once every write queued so far is in the backend (or failed and was reported). */
  flushed(): Promise<void> {
    return this.#writes;
  }

  /**
   * Forgets what memory holds: the backend changed behind it (an editor wrote to it). The next
   * load reads it again, after the writes queued so far.
   */
  invalidate(): void {
    this.#data.clear();
  }
}
