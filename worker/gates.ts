/**
 * The only ways out of a published app's isolate, handed to it as bindings by the platform
 * worker (`ctx.exports`), each with props the app cannot change: its own key-value stores, and
 * outbound requests to its allowed hosts.
 */
import { WorkerEntrypoint } from 'cloudflare:workers';
import { TwirlError } from '../shared/errors.ts';
import { AllowedHosts } from '../shared/host/allowed-hosts.ts';
import type { KeyValueStore } from '../shared/ports.ts';
import { DurableObjectKeyValueBackend, type KeyValueRpc } from './key-value-backend.ts';
import type { PlatformEnv } from './env.ts';

export interface KeyValueGateProps {
  appId: string;
  /** Labels the app's components declare in `key_value_stores`. */
  stores: string[];
}

export class KeyValueGate extends WorkerEntrypoint<PlatformEnv, KeyValueGateProps> implements KeyValueRpc {
  async get(label: string, key: string): Promise<Uint8Array | undefined> {
    return (await this.#open(label)).get(key);
  }
  async set(label: string, key: string, value: Uint8Array): Promise<void> {
    return (await this.#open(label)).set(key, value);
  }
  async delete(label: string, key: string): Promise<void> {
    return (await this.#open(label)).delete(key);
  }
  async exists(label: string, key: string): Promise<boolean> {
    return (await this.#open(label)).exists(key);
  }
  async keys(label: string): Promise<string[]> {
    return (await this.#open(label)).keys();
  }

  #open(label: string): Promise<KeyValueStore> {
    // The engine in the app's isolate checks labels per component; this is the check it cannot skip.
    if (!this.ctx.props.stores.includes(label)) throw new TwirlError('access-denied', `the app declares no key-value store "${label}"`);
    return new DurableObjectKeyValueBackend(this.env.KEY_VALUE, this.ctx.props.appId).open(label);
  }
}

export interface OutboundGateProps {
  /** Each component's `allowed_outbound_hosts`, with the variable values they resolve against. */
  rules: Array<{ hosts: string[]; variables: Record<string, string> }>;
}

const compiled = new Map<string, AllowedHosts[]>();

export class OutboundGate extends WorkerEntrypoint<PlatformEnv, OutboundGateProps> {
  override async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    // Never followed here: the next hop is the app's own request, through this gate again.
    if (this.#allowed().some((hosts) => hosts.allows(url))) return fetch(request, { redirect: 'manual' });
    console.error(`[twirl] outbound request to ${url.href} refused by the gate: not in the app's allowed_outbound_hosts`);
    return new Response(`outbound request to ${url.origin} refused: not in the app's allowed_outbound_hosts\n`, { status: 403 });
  }

  #allowed(): AllowedHosts[] {
    const key = JSON.stringify(this.ctx.props.rules);
    let hosts = compiled.get(key);
    if (!hosts) compiled.set(key, (hosts = this.ctx.props.rules.map((r) => AllowedHosts.compile(r.hosts, r.variables))));
    return hosts;
  }
}
