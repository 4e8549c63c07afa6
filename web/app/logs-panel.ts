/**
 * `<twirl-logs-panel>`: each request to the app with its status, timing and the components' stdout/stderr.
 * A line whose stack points into the app's files links there: clicking fires `reveal` (detail: the position).
 */
import { LitElement, css, html } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { panelStyles, statusClass } from './panel-styles.ts';
import type { RequestEntry, RequestLog } from './request-log.ts';
import type { MappedLogEvent } from './stack-mapping.ts';

export class LogsPanel extends LitElement {
  static override properties = { log: { attribute: false }, version: { type: Number }, hidden: { type: Boolean, reflect: true } };
  declare log: RequestLog | undefined;
  /** The log is mutated in place; a new version re-renders it. */
  declare version: number;
  /** Hidden (another tab shown), the panel renders nothing until it is shown: a burst of requests from the app's page adds an entry a frame. */
  declare hidden: boolean;

  static override styles = [
    panelStyles,
    css`
      details { border-bottom: 1px solid var(--tw-rule); padding: 4px 0; }
      summary { cursor: pointer; display: flex; gap: 8px; align-items: baseline; }
      .path { flex: 1; font-family: ui-monospace, monospace; }
      .line { font-family: ui-monospace, monospace; font-size: 12px; white-space: pre-wrap; padding-left: 16px; }
      .stderr { color: var(--tw-error); }
      .component { color: var(--tw-muted); }
      .at { font: inherit; color: inherit; background: none; border: none; padding: 0; text-decoration: underline; cursor: pointer; }
    `,
  ];

  constructor() {
    super();
    this.log = undefined;
    this.version = 0;
    this.hidden = false;
  }

  /** The update that hides the panel still runs: it reflects `hidden` to the attribute that hides it. */
  protected override shouldUpdate(changed: Map<PropertyKey, unknown>): boolean {
    return !this.hidden || changed.has('hidden');
  }

  override render() {
    const entries = this.log?.entries ?? [];
    if (entries.length === 0) return html`<p class="muted">No requests yet. Run the app or send a request.</p>`;
    // Keyed: a new request is one new entry at the top, and an entry someone opened stays open.
    return html`${repeat(entries, (entry) => entry.key, (entry) => this.#renderEntry(entry))}`;
  }

  #renderEntry(entry: RequestEntry) {
    if (entry.build !== undefined) return this.#renderBuild(entry);
    const s = entry.summary;
    return html`<details class="request" ?open=${entry.lines.length > 0 || !!s?.error} data-request-id=${entry.key}>
      <summary>
        <strong class="${s ? statusClass(s.status) : ''}">${s?.status ?? '…'}</strong>
        <span>${s?.method ?? ''}</span>
        <span class="path">${s?.path ?? ''}</span>
        <span class="muted">${s ? `${s.ms.toFixed(1)} ms` : ''}</span>
        <span class="muted">${entry.lines.length} ${entry.lines.length === 1 ? 'line' : 'lines'}</span>
      </summary>
      ${s?.error ? html`<div class="line stderr">${s.error}</div>` : ''}
      ${entry.lines.map((l) => html`<div class="line ${l.stream}"><span class="component">[${l.component}]</span> ${this.#renderText(l)}</div>`)}
    </details>`;
  }

  /** What a component's top-level code printed while it was built. */
  #renderBuild(entry: RequestEntry) {
    return html`<details class="request build" open data-request-id=${entry.key}>
      <summary>
        <strong>build</strong>
        <span>${entry.build}</span>
        <span class="muted">top-level output</span>
        <span class="muted">${entry.lines.length} ${entry.lines.length === 1 ? 'line' : 'lines'}</span>
      </summary>
      ${entry.lines.map((l) => html`<div class="line ${l.stream}"><span class="component">[${l.component}]</span> ${this.#renderText(l)}</div>`)}
    </details>`;
  }

  /** The line, its first source position a link to that line. */
  #renderText(l: MappedLogEvent) {
    const at = l.at;
    if (!at) return l.line;
    const where = `${at.source}:${at.line}:${at.column}`;
    const i = l.line.indexOf(where);
    if (i < 0) return l.line;
    const reveal = () => this.dispatchEvent(new CustomEvent('reveal', { detail: at, bubbles: true, composed: true }));
    return html`${l.line.slice(0, i)}<button class="at" title="Show ${at.source} at line ${at.line}" @click=${reveal}>${where}</button>${l.line.slice(i + where.length)}`;
  }
}

customElements.define('twirl-logs-panel', LogsPanel);

declare global {
  interface HTMLElementTagNameMap {
    'twirl-logs-panel': LogsPanel;
  }
}
