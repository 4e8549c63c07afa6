/** KeyValueBackend at the edge: each (app, label) store is its own KeyValueObject. */
import type { KeyValueBackend, KeyValueStore } from '../shared/ports.ts';
import type { KeyValueObject } from './key-value-object.ts';
import { storeObjectName } from './key-value-names.ts';

/** Opens an app's stores straight from the Durable Object namespace (deployed apps, the gate). */
export class DurableObjectKeyValueBackend implements KeyValueBackend {
  readonly #namespace: DurableObjectNamespace<KeyValueObject>;
  readonly #appId: string;

  constructor(namespace: DurableObjectNamespace<KeyValueObject>, appId: string) {
    this.#namespace = namespace;
    this.#appId = appId;
  }

  async open(label: string): Promise<KeyValueStore> {
    const stub = this.#namespace.get(this.#namespace.idFromName(storeObjectName(this.#appId, label)));
    return {
      get: async (key) => (await stub.get(key)) ?? undefined,
      set: async (key, value) => void (await stub.set(key, value)),
      delete: async (key) => void (await stub.delete(key)),
      exists: async (key) => stub.exists(key),
      keys: async () => stub.keys(),
    };
  }
}

/** What a published app's isolate may call: the label-scoped store operations, its app id fixed by the caller. */
export interface KeyValueRpc {
  get(label: string, key: string): Promise<Uint8Array | undefined>;
  set(label: string, key: string, value: Uint8Array): Promise<void>;
  delete(label: string, key: string): Promise<void>;
  exists(label: string, key: string): Promise<boolean>;
  keys(label: string): Promise<string[]>;
}

/** Opens stores through a KeyValueRpc (a published app's gate back into the platform worker). */
export class RpcKeyValueBackend implements KeyValueBackend {
  readonly #rpc: KeyValueRpc;

  constructor(rpc: KeyValueRpc) {
    this.#rpc = rpc;
  }

  async open(label: string): Promise<KeyValueStore> {
    const rpc = this.#rpc;
    return {
      get: async (key) => (await rpc.get(label, key)) ?? undefined,
      set: (key, value) => rpc.set(label, key, value),
      delete: (key) => rpc.delete(label, key),
      exists: (key) => rpc.exists(label, key),
      keys: () => rpc.keys(label),
    };
  }
}
