/**
 * The playground's end of an app's preview: a hidden bridge page on the app's origin (see
 * preview-protocol.ts), called with request/reply messages over a MessagePort handed to it at
 * load (once it has answered, never again). Nothing posted to this window is listened to: the app's own pages share the bridge's
 * origin and can post as if they were it, but they never hold the port.
 */
import type { StoredApp } from '../app-model.ts';
import { span } from '../timing.ts';
import type { StoredComponent } from '../component-store.ts';
import { BRIDGE_PATH, previewOrigin, type BridgeCall, type BridgeNotice, type BridgeReply, type KeyValueEntry, type PreviewEvent, type ReceivedResponse, type SentRequest } from '../preview-protocol.ts';

type CallBody = BridgeCall extends infer C ? (C extends BridgeCall ? Omit<C, 'id'> : never) : never;

const previewPattern = (import.meta.env['VITE_TWIRL_PREVIEW_ORIGIN'] as string | undefined) || undefined;

export class PreviewConnection {
  /** The origin that serves the app, e.g. `http://3f9c….localhost:5173`. */
  readonly origin: string;
  /** Resolves once the bridge's service worker runs; `jspi` tells whether components can run here. */
  readonly ready: Promise<{ jspi: boolean }>;
  readonly #frame: HTMLIFrameElement;
  readonly #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  readonly #listeners = new Set<(event: PreviewEvent) => void>();
  #next = 1;
  #port: MessagePort | undefined;
  /** Set once the bridge has answered on a port: from then on no port is handed over again. */
  #connected = false;

  constructor(appId: string, host: HTMLElement = document.body) {
    this.origin = previewOrigin(appId, new URL(location.href), previewPattern);
    this.#frame = document.createElement('iframe');
    this.#frame.hidden = true;
    this.#frame.title = 'preview bridge';
    this.#frame.src = `${this.origin}${BRIDGE_PATH}?parent=${encodeURIComponent(location.origin)}`;
    // WebKit fires a load for the frame's initial about:blank too, where a port posted to the
    // bridge's origin is dropped: each load before the bridge answers gets a new port. Once it has
    // answered, a bridge page navigated or reloaded (by the app's own pages) gets no second port.
    const handOver = (): void => {
      if (this.#connected) return this.#frame.removeEventListener('load', handOver);
      const channel = new MessageChannel();
      this.#port?.close();
      this.#port = channel.port1;
      this.#port.onmessage = (event: MessageEvent<BridgeNotice | BridgeReply>) => {
        this.#connected = true;
        this.#receive(event.data);
      };
      this.#frame.contentWindow?.postMessage({ type: 'connect' }, this.origin, [channel.port2]);
    };
    this.#frame.addEventListener('load', handOver);
    this.ready = new Promise((resolve, reject) => {
      this.#pending.set(0, { resolve: (v) => resolve(v as { jspi: boolean }), reject });
    });
    // Closing a preview before its bridge answered is no error of anyone's.
    const opened = performance.now();
    this.ready.then(() => span('page: preview bridge ready', opened), () => {});
    host.append(this.#frame);
  }

  /** The URL of `path` in the preview. */
  url(path = '/'): string {
    return new URL(path, this.origin).href;
  }

  async load(app: StoredApp, uploads: Record<string, StoredComponent> = {}): Promise<void> {
    await this.#call({ type: 'load', app, uploads });
  }

  send(request: SentRequest): Promise<ReceivedResponse> {
    return this.#call({ type: 'fetch', request }) as Promise<ReceivedResponse>;
  }

  listKeyValue(): Promise<KeyValueEntry[]> {
    return this.#call({ type: 'kv-list' }) as Promise<KeyValueEntry[]>;
  }

  async setKeyValue(label: string, key: string, value: Uint8Array): Promise<void> {
    await this.#call({ type: 'kv-set', label, key, value });
  }

  async deleteKeyValue(label: string, key: string): Promise<void> {
    await this.#call({ type: 'kv-delete', label, key });
  }

  onEvent(listener: (event: PreviewEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  dispose(): void {
    this.#port?.close();
    this.#frame.remove();
    for (const { reject } of this.#pending.values()) reject(new Error('the preview was closed'));
    this.#pending.clear();
  }

  async #call(body: CallBody): Promise<unknown> {
    await this.ready;
    const id = this.#next++;
    const reply = new Promise<unknown>((resolve, reject) => this.#pending.set(id, { resolve, reject }));
    this.#port?.postMessage({ ...body, id } as BridgeCall);
    return reply;
  }

  #receive(message: BridgeNotice | BridgeReply): void {
    if (message.type === 'events') for (const event of message.events) for (const listener of this.#listeners) listener(event);
    else if (message.type === 'ready') this.#settle(0, { ok: true, value: { jspi: message.jspi } });
    else this.#settle(message.id, message);
  }

  #settle(id: number, outcome: { ok: true; value: unknown } | { ok: false; error: string }): void {
    const pending = this.#pending.get(id);
    if (!pending) return;
    this.#pending.delete(id);
    if (outcome.ok) pending.resolve(outcome.value);
    else pending.reject(new Error(outcome.error));
  }
}
