/** `<twirl-preview-pane>`: the app itself in a frame on its own origin, with an address bar. */
import { LitElement, css, html } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import { panelStyles } from './panel-styles.ts';

export class PreviewPane extends LitElement {
  static override properties = { origin: {}, path: {}, revision: { type: Number } };
  /** The app's origin; empty until the app is loaded there. */
  declare origin: string;
  declare path: string;
  /** Bumped by the playground after each Run, to reload the frame. */
  declare revision: number;

  static override styles = [
    panelStyles,
    css`
      :host { display: flex; flex-direction: column; padding: 0; }
      .row { padding: 6px 8px 0; flex-wrap: wrap; }
      .origin { min-width: 0; overflow-wrap: anywhere; }
      .row input { min-width: 8em; }
      /* The page's own colours behind the app: a plain-text response follows the reader's scheme. */
      iframe { flex: 1; border: none; border-top: 1px solid var(--tw-border); background: var(--tw-bg); width: 100%; }
    `,
  ];

  constructor() {
    super();
    this.origin = '';
    this.path = '/';
    this.revision = 0;
  }

  override render() {
    if (!this.origin) return html`<p class="muted" style="padding:8px">Press Run to start the app.</p>`;
    const src = new URL(this.path || '/', this.origin).href;
    return html`
      <form class="row" @submit=${this.#go}>
        <span class="muted origin">${this.origin}</span>
        <input name="path" aria-label="Preview path" style="flex:1" .value=${this.path} />
        <button type="submit">Go</button>
        <a href=${src} target="_blank" rel="noopener">Open ↗</a>
      </form>
      ${keyed(
        this.revision,
        html`<iframe title="App preview" sandbox="allow-scripts allow-forms allow-same-origin allow-popups allow-modals" src=${src}></iframe>`,
      )}
    `;
  }

  #go(event: SubmitEvent): void {
    event.preventDefault();
    const input = (event.target as HTMLFormElement).elements.namedItem('path') as HTMLInputElement;
    this.path = input.value.startsWith('/') ? input.value : `/${input.value}`;
    this.revision++;
  }
}

customElements.define('twirl-preview-pane', PreviewPane);

declare global {
  interface HTMLElementTagNameMap {
    'twirl-preview-pane': PreviewPane;
  }
}
