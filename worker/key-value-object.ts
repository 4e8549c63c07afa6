/**
 * One key-value store of one app: a Durable Object with SQLite storage, so every call runs on
 * the object's synchronous `ctx.storage.kv` and a store is strongly consistent.
 */
import { DurableObject } from 'cloudflare:workers';

export class KeyValueObject extends DurableObject {
  get(key: string): Uint8Array | undefined {
    return this.ctx.storage.kv.get<Uint8Array>(key);
  }

  set(key: string, value: Uint8Array): void {
    this.ctx.storage.kv.put(key, value);
  }

  delete(key: string): void {
    this.ctx.storage.kv.delete(key);
  }

  exists(key: string): boolean {
    return this.ctx.storage.kv.get(key) !== undefined;
  }

  keys(): string[] {
    return Array.from(this.ctx.storage.kv.list(), ([key]) => key);
  }
}
