/** `<twirl-kv-inspector>`: the app's key-value stores: list, add or change, delete. */
import { LitElement, css, html } from 'lit';
import type { KeyValueEntry } from '../preview-protocol.ts';
import { panelStyles } from './panel-styles.ts';
import { messageOf } from '../../shared/errors.ts';
import { coalesced } from '../../shared/coalesced.ts';

/** What the inspector needs of the preview connection. */
export interface KeyValueAccess {
  listKeyValue(): Promise<KeyValueEntry[]>;
  setKeyValue(label: string, key: string, value: Uint8Array): Promise<void>;
  deleteKeyValue(label: string, key: string): Promise<void>;
}

export class KeyValueInspector extends LitElement {
  static override properties = { access: { attribute: false }, entries: { state: true }, error: { state: true } };
  declare access: KeyValueAccess | undefined;
  declare entries: KeyValueEntry[];
  declare error: string;

  static override styles = [
    panelStyles,
    css`
      table { border-collapse: collapse; width: 100%; margin-top: 8px; }
      th, td { text-align: left; padding: 3px 6px; border-bottom: 1px solid var(--tw-rule); font-size: 12px; }
      td.value { font-family: ui-monospace, monospace; word-break: break-all; }
    `,
  ];

  constructor() {
    super();
    this.access = undefined;
    this.entries = [];
    this.error = '';
  }

  override updated(changed: Map<string, unknown>): void {
    if (changed.has('access')) void this.refresh();
  }

  /**
   * Lists the stores again. Open during a burst of requests, the inspector is asked after every one:
   * one listing at a time, and the requests that end meanwhile share the next.
   */
  readonly refresh = coalesced(async () => {
    if (!this.access) return;
    try {
      this.entries = await this.access.listKeyValue();
      this.error = '';
    } catch (err) {
      this.error = messageOf(err);
    }
  });

  override render() {
    return html`
      <form class="row" @submit=${this.#add}>
        <input name="label" aria-label="Store" value="default" size="8" />
        <input name="key" aria-label="Key" placeholder="key" required />
        <input name="value" aria-label="Value" placeholder="value" style="flex:1" />
        <button type="submit" class="primary">Set</button>
        <button type="button" @click=${() => this.refresh()}>Refresh</button>
      </form>
      ${this.error ? html`<p class="error">${this.error}</p>` : ''}
      ${this.entries.length === 0
        ? html`<p class="muted">No keys yet.</p>`
        : html`<table>
            <thead><tr><th>Store</th><th>Key</th><th>Value</th><th></th></tr></thead>
            <tbody>
              ${this.entries.map(
                (e) => html`<tr data-key=${e.key}>
                  <td>${e.label}</td>
                  <td class="key">${e.key}</td>
                  <td class="value">${showValue(e.value)}</td>
                  <td><button title="Delete ${e.key}" @click=${() => this.#delete(e)}>Delete</button></td>
                </tr>`,
              )}
            </tbody>
          </table>`}
    `;
  }

  async #add(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const key = String(data.get('key') ?? '');
    if (!this.access || key === '') return;
    await this.access.setKeyValue(String(data.get('label') || 'default'), key, new TextEncoder().encode(String(data.get('value') ?? '')));
    (form.elements.namedItem('key') as HTMLInputElement).value = '';
    (form.elements.namedItem('value') as HTMLInputElement).value = '';
    await this.refresh();
  }

  async #delete(entry: KeyValueEntry): Promise<void> {
    await this.access?.deleteKeyValue(entry.label, entry.key);
    await this.refresh();
  }
}

/** UTF-8 text as is; anything else as hex. */
function showValue(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return `0x${Array.from(bytes.subarray(0, 256), (b) => b.toString(16).padStart(2, '0')).join('')}${bytes.length > 256 ? '…' : ''}`;
  }
}

customElements.define('twirl-kv-inspector', KeyValueInspector);

declare global {
  interface HTMLElementTagNameMap {
    'twirl-kv-inspector': KeyValueInspector;
  }
}
