/** A KeyValueBackend held in memory: for tests, embeds and anything that need not persist. */
import type { KeyValueBackend, KeyValueStore } from './ports.ts';

export class MemoryKeyValueBackend implements KeyValueBackend {
  readonly #stores = new Map<string, Map<string, Uint8Array>>();

  async open(label: string): Promise<KeyValueStore> {
    let data = this.#stores.get(label);
    if (!data) this.#stores.set(label, (data = new Map()));
    const store = data;
    return {
      get: async (key) => store.get(key)?.slice(),
      set: async (key, value) => void store.set(key, value.slice()),
      delete: async (key) => void store.delete(key),
      exists: async (key) => store.has(key),
      keys: async () => [...store.keys()],
    };
  }
}
