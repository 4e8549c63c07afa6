/**
 * KeyValueBackend over IndexedDB (idb-keyval): one object store for every app, keyed by
 * `[appId, label, key]`, so one app's data never shows in another's and an app's keys are one
 * key range. The service worker and the page's inspector open the same data.
 */
import { createStore, promisifyRequest, type UseStore } from 'idb-keyval';
import type { KeyValueBackend, KeyValueStore } from '../shared/ports.ts';

let shared: UseStore | undefined;
/** Opened lazily: IndexedDB is not available while a module is merely evaluated in some hosts. */
const database = (): UseStore => (shared ??= createStore('twirl-key-value', 'entries'));

/** Every key of one store of one app: arrays sort after strings, so `[app, label, []]` bounds them. */
const rangeOf = (appId: string, label: string): IDBKeyRange => IDBKeyRange.bound([appId, label], [appId, label, []]);

export class IdbKeyValueBackend implements KeyValueBackend {
  readonly #appId: string;
  readonly #db: UseStore;

  constructor(appId: string, db: UseStore = database()) {
    this.#appId = appId;
    this.#db = db;
  }

  async open(label: string): Promise<KeyValueStore> {
    const db = this.#db;
    const at = (key: string): IDBValidKey => [this.#appId, label, key];
    const range = rangeOf(this.#appId, label);
    return {
      get: (key) => db('readonly', (s) => promisifyRequest(s.get(at(key)))).then((v) => (v === undefined ? undefined : new Uint8Array(v as ArrayBufferLike))),
      set: (key, value) => db('readwrite', (s) => promisifyRequest(s.put(value.slice().buffer, at(key)))).then(() => undefined),
      delete: (key) => db('readwrite', (s) => promisifyRequest(s.delete(at(key)))),
      exists: (key) => db('readonly', (s) => promisifyRequest(s.count(at(key)))).then((n) => n > 0),
      keys: () => db('readonly', (s) => promisifyRequest(s.getAllKeys(range))).then((keys) => keys.map((k) => (k as string[])[2]!)),
    };
  }

  /** Every label that holds data for this app (the inspector lists stores by it). */
  async labels(): Promise<string[]> {
    const all = await this.#db('readonly', (s) => promisifyRequest(s.getAllKeys(IDBKeyRange.bound([this.#appId], [this.#appId, []]))));
    return [...new Set(all.map((k) => (k as string[])[1]!))];
  }

  /** Removes all of the app's data, in every store. */
  async clear(): Promise<void> {
    await this.#db('readwrite', (s) => promisifyRequest(s.delete(IDBKeyRange.bound([this.#appId], [this.#appId, []]))));
  }
}
