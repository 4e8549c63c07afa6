/**
 * `<twirl-preview-pane>`: the app itself in a frame on its own origin, with an address bar. When
 * the app's last page failed (`failure`), a panel above the frame says why (the app's response
 * itself stays as Spin gives it: a bare 500); its buttons fire `reveal` (a source position), `logs` and, for a variable without a value, `variables`.
 */
import { LitElement, css, html } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import { panelStyles } from './panel-styles.ts';
import type { PreviewFailure } from './request-log.ts';

export class PreviewPane extends LitElement {
  static override properties = { origin: {}, path: {}, revision: { type: Number }, failure: { attribute: false } };
  /** The app's origin; empty until the app is loaded there. */
  declare origin: string;
  declare path: string;
  /** Bumped by the playground after each Run, to reload the frame. */
  declare revision: number;
  declare failure: PreviewFailure | undefined;

  static override styles = [
    panelStyles,
    css`
      :host { display: flex; flex-direction: column; padding: 0; }
      .row { padding: 6px 8px 0; flex-wrap: wrap; }
      .origin { min-width: 0; overflow-wrap: anywhere; }
      .row input { min-width: 8em; }
      /* The page's own colours behind the app: a plain-text response follows the reader's scheme. */
      .failure { margin: 6px 8px 0; padding: 6px 8px; border: 1px solid var(--tw-error); border-radius: 4px; }
      .failure pre { margin: 4px 0; white-space: pre-wrap; max-height: 8em; overflow: auto; color: var(--tw-error); }
      .failure p { margin: 0; }
      iframe { flex: 1; border: none; border-top: 1px solid var(--tw-border); background: var(--tw-bg); width: 100%; }
    `,
  ];

  constructor() {
    super();
    this.origin = '';
    this.path = '/';
    this.revision = 0;
    this.failure = undefined;
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
      ${this.failure ? this.#renderFailure(this.failure) : ''}
      ${keyed(
        this.revision,
        html`<iframe title="App preview" sandbox="allow-scripts allow-forms allow-same-origin allow-popups allow-modals" src=${src}></iframe>`,
      )}
    `;
  }

  #renderFailure(f: PreviewFailure) {
    const fire = (type: string, detail?: unknown) => this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
    return html`<section class="failure" role="alert" aria-label="App error">
      <p>
        <strong>${f.status}</strong> from ${f.method} ${f.path}:
        ${f.startup
          ? 'the app could not start.'
          : html`the component failed${f.at ? html` at <code>${f.at.source}:${f.at.line}</code>` : ''}. Spin answers such a request with an empty ${f.status}; this
              explanation is the playground's.`}
      </p>
      <pre>${f.message}</pre>
      ${f.at ? html`<button @click=${() => fire('reveal', f.at)}>Go to ${f.at.source}:${f.at.line}</button>` : ''}
      ${needsVariable(f.message) ? html`<button @click=${() => fire('variables')}>Set it in the Variables tab</button>` : ''}
      <button @click=${() => fire('logs')}>Show in Logs</button>
    </section>`;
  }

  #go(event: SubmitEvent): void {
    event.preventDefault();
    const input = (event.target as HTMLFormElement).elements.namedItem('path') as HTMLInputElement;
    this.path = input.value.startsWith('/') ? input.value : `/${input.value}`;
    this.revision++;
  }
}

/** The engine's words for a variable the app needs and has no value for (shared/host/variables.ts). */
const needsVariable = (message: string): boolean => /variable `[^`]+`.* no value/.test(message);

customElements.define('twirl-preview-pane', PreviewPane);

declare global {
  interface HTMLElementTagNameMap {
    'twirl-preview-pane': PreviewPane;
  }
}
