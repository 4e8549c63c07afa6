/**
 * `<twirl-request-builder>`: send any method, path, headers and body to the app; shows the
 * response's status, headers, body and timing. `send` is the preview connection's.
 */
import { LitElement, html } from 'lit';
import type { ReceivedResponse, SentRequest } from '../preview-protocol.ts';
import { panelStyles, statusClass } from './panel-styles.ts';
import { messageOf } from '../../shared/errors.ts';
import type { CheckRequest } from '../../shared/checks/check.ts';
import type { PreviewAccess } from './check-target.ts';
import './request-assertions.ts';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

export class RequestBuilder extends LitElement {
  static override styles = panelStyles;
  static override properties = {
    send: { attribute: false },
    method: { state: true },
    path: { state: true },
    headers: { state: true },
    body: { state: true },
    response: { state: true },
    error: { state: true },
    busy: { state: true },
    preview: { attribute: false },
    appId: { attribute: false },
  };
  declare send: ((request: SentRequest) => Promise<ReceivedResponse>) | undefined;
  declare method: string;
  declare path: string;
  declare headers: string;
  declare body: string;
  declare response: ReceivedResponse | undefined;
  declare error: string;
  declare busy: boolean;
  /** For saved assertions: the preview they run against, and the app they are kept for. */
  declare preview: PreviewAccess | undefined;
  declare appId: string;

  constructor() {
    super();
    this.send = undefined;
    this.method = 'GET';
    this.path = '/';
    this.headers = '';
    this.body = '';
    this.response = undefined;
    this.error = '';
    this.busy = false;
    this.preview = undefined;
    this.appId = '';
  }

  override render() {
    const hasBody = this.method !== 'GET' && this.method !== 'HEAD';
    return html`
      <form class="row" @submit=${this.#submit}>
        <select name="method" aria-label="Method" .value=${this.method} @change=${(e: Event) => (this.method = (e.target as HTMLSelectElement).value)}>
          ${METHODS.map((m) => html`<option ?selected=${m === this.method}>${m}</option>`)}
        </select>
        <input name="path" aria-label="Path" style="flex:1" .value=${this.path} @input=${(e: Event) => (this.path = (e.target as HTMLInputElement).value)} />
        <button class="primary" type="submit" ?disabled=${this.busy || !this.send}>Send</button>
      </form>
      <label class="muted" for="headers">Headers, one <code>name: value</code> a line</label>
      <textarea id="headers" name="headers" rows="3" style="width:100%" .value=${this.headers} @input=${(e: Event) => (this.headers = (e.target as HTMLTextAreaElement).value)}></textarea>
      ${hasBody
        ? html`<label class="muted" for="body">Body</label>
            <textarea id="body" name="body" rows="4" style="width:100%" .value=${this.body} @input=${(e: Event) => (this.body = (e.target as HTMLTextAreaElement).value)}></textarea>`
        : ''}
      ${this.error ? html`<p class="error">${this.error}</p>` : ''} ${this.response ? this.#renderResponse(this.response) : ''}
      <twirl-request-assertions .request=${this.#request()} .preview=${this.preview} .appId=${this.appId}></twirl-request-assertions>
    `;
  }

  #renderResponse(r: ReceivedResponse) {
    return html`<section class="response" aria-label="Response">
      <p class="row">
        <strong class="status ${statusClass(r.status)}">${r.status} ${r.statusText}</strong>
        <span class="muted timing">${r.ms.toFixed(1)} ms</span>
        <span class="muted">${r.body.byteLength} bytes</span>
      </p>
      <pre class="headers">${r.headers.map(([k, v]) => `${k}: ${v}`).join('\n')}</pre>
      <p class="muted">Body</p>
      <pre class="body">${new TextDecoder().decode(r.body)}</pre>
    </section>`;
  }

  /** The request as the form holds it now. */
  #request(): CheckRequest {
    const hasBody = this.method !== 'GET' && this.method !== 'HEAD';
    return { method: this.method, path: this.path.startsWith('/') ? this.path : `/${this.path}`, headers: parseHeaders(this.headers), ...(hasBody ? { body: this.body } : {}) };
  }

  async #submit(event: Event): Promise<void> {
    event.preventDefault();
    if (!this.send) return;
    this.busy = true;
    this.error = '';
    this.response = undefined;
    try {
      const hasBody = this.method !== 'GET' && this.method !== 'HEAD';
      this.response = await this.send({
        method: this.method,
        path: this.path.startsWith('/') ? this.path : `/${this.path}`,
        headers: parseHeaders(this.headers),
        ...(hasBody ? { body: new TextEncoder().encode(this.body).buffer } : {}),
      });
    } catch (err) {
      this.response = undefined;
      this.error = messageOf(err);
    } finally {
      this.busy = false;
    }
  }
}

function parseHeaders(text: string): Array<[string, string]> {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.includes(':'))
    .map((line) => {
      const at = line.indexOf(':');
      return [line.slice(0, at).trim(), line.slice(at + 1).trim()] as [string, string];
    })
    .filter(([name]) => name !== '');
}

customElements.define('twirl-request-builder', RequestBuilder);

declare global {
  interface HTMLElementTagNameMap {
    'twirl-request-builder': RequestBuilder;
  }
}
