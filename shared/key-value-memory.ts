/**
 * A KeyValueBackend held in memory: for tests, embeds and anything that need not persist. Its
 * data is at hand, so it answers at once: a guest calling it goes on without waiting.
 */
import type { KeyValueBackend, KeyValueStore } from './ports.ts';

export class MemoryKeyValueBackend implements KeyValueBackend {
  readonly #stores = new Map<string, Map<string, Uint8Array>>();

  open(label: string): KeyValueStore {
    let data = this.#stores.get(label);
    if (!data) this.#stores.set(label, (data = new Map()));
    const store = data;
    return {
      get: (key) => store.get(key)?.slice(),
      set: (key, value) => void store.set(key, value.slice()),
      delete: (key) => void store.delete(key),
      exists: (key) => store.has(key),
      keys: () => [...store.keys()],
    };
  }
}
