/**
 * `<twirl-request-assertions>`, in the Request tab: save the builder's request with expectations
 * (status, body text, headers, JSON), re-run them all against the app, see which pass. Runs the
 * same checks as lessons (shared/checks/). Saved per app on this device.
 */
import { LitElement, css, html, type PropertyValues } from 'lit';
import type { Check, CheckRequest, CheckResult } from '../../shared/checks/check.ts';
import { runChecks } from '../../shared/checks/run-check.ts';
import { messageOf } from '../../shared/errors.ts';
import { checkResultStyles, renderCheckResults } from './check-results.ts';
import { previewCheckTarget, type PreviewAccess } from './check-target.ts';
import { panelStyles } from './panel-styles.ts';
import { assertionFrom, readAssertions, saveAssertions, type ExpectationForm } from './saved-assertions.ts';

const EMPTY_FORM: ExpectationForm = { status: '', bodyContains: '', headers: '', json: '' };

export class RequestAssertions extends LitElement {
  static override styles = [
    panelStyles,
    checkResultStyles,
    css`
      :host { padding: 0; overflow: visible; border-top: 1px solid var(--tw-rule); margin-top: 10px; padding-top: 6px; }
      h3 { font-size: 13px; margin: 4px 0; }
      .grid { display: grid; grid-template-columns: auto minmax(0, 1fr); gap: 4px 8px; align-items: center; margin-bottom: 6px; }
      .grid textarea { width: 100%; }
      li.check { position: relative; }
      li.check .remove { position: absolute; right: 4px; top: 4px; padding: 0 6px; }
    `,
  ];

  static override properties = {
    request: { attribute: false },
    preview: { attribute: false },
    appId: { attribute: false },
    saved: { state: true },
    results: { state: true },
    form: { state: true },
    problems: { state: true },
    running: { state: true },
  };
  /** The request the builder holds now. */
  declare request: CheckRequest | undefined;
  declare preview: PreviewAccess | undefined;
  declare appId: string;
  declare saved: Check[];
  declare results: Array<CheckResult | undefined>;
  declare form: ExpectationForm;
  declare problems: string[];
  declare running: boolean;

  constructor() {
    super();
    this.request = undefined;
    this.preview = undefined;
    this.appId = '';
    this.saved = [];
    this.results = [];
    this.form = EMPTY_FORM;
    this.problems = [];
    this.running = false;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('appId')) {
      this.saved = this.appId ? readAssertions(this.appId) : [];
      this.results = [];
    }
  }

  override render() {
    const field = (name: keyof ExpectationForm) => (e: Event) => (this.form = { ...this.form, [name]: (e.target as HTMLInputElement).value });
    return html`
      <h3>Expect</h3>
      <div class="grid">
        <label for="expect-status">Status</label>
        <input id="expect-status" name="expect-status" inputmode="numeric" placeholder="200" .value=${this.form.status} @input=${field('status')} />
        <label for="expect-body">Body contains</label>
        <input id="expect-body" name="expect-body" .value=${this.form.bodyContains} @input=${field('bodyContains')} />
        <label for="expect-headers">Headers</label>
        <textarea id="expect-headers" name="expect-headers" rows="1" placeholder="content-type: application/json" .value=${this.form.headers} @input=${field('headers')}></textarea>
        <label for="expect-json">JSON</label>
        <textarea id="expect-json" name="expect-json" rows="1" placeholder='{"message": "Hello"}' .value=${this.form.json} @input=${field('json')}></textarea>
      </div>
      <div class="row">
        <button @click=${() => this.#save()} ?disabled=${!this.request || !this.appId}>Save with expectations</button>
        <button class="primary" @click=${() => this.runAll()} ?disabled=${this.running || !this.preview || this.saved.length === 0}>${this.running ? 'Running…' : 'Run all'}</button>
        <span class="muted" role="status">${this.#summary()}</span>
      </div>
      ${this.problems.length ? html`<ul class="error" aria-label="Assertion problems">${this.problems.map((p) => html`<li>${p}</li>`)}</ul>` : ''}
      ${this.saved.length
        ? html`<div aria-label="Saved assertions">
            ${renderCheckResults(this.saved, this.results, (i) => html`<button class="remove" aria-label="Remove ${this.saved[i]?.name}" @click=${() => this.#remove(i)}>✕</button>`)}
          </div>`
        : html`<p class="muted">No saved assertions: send a request, fill in what it should answer, and save it.</p>`}
    `;
  }

  /** Sends every saved request in order and shows each one's verdict. */
  async runAll(): Promise<void> {
    if (!this.preview || this.running) return;
    this.running = true;
    this.problems = [];
    try {
      this.results = await runChecks(this.saved, previewCheckTarget(this.preview));
    } catch (err) {
      this.problems = [messageOf(err)];
    } finally {
      this.running = false;
    }
  }

  #save(): void {
    if (!this.request || !this.appId) return;
    const { check, problems } = assertionFrom(this.request, this.form);
    this.problems = problems.map((p) => `${p.field.replace(/^assertion\./, '')}: ${p.message}`);
    if (!check) return;
    this.saved = [...this.saved, check];
    this.results = [...this.results.slice(0, this.saved.length - 1), undefined];
    saveAssertions(this.appId, this.saved);
    this.form = EMPTY_FORM;
  }

  #remove(index: number): void {
    this.saved = this.saved.filter((_, i) => i !== index);
    this.results = this.results.filter((_, i) => i !== index);
    saveAssertions(this.appId, this.saved);
  }

  #summary(): string {
    const done = this.results.filter((r) => r !== undefined);
    if (this.running || done.length === 0) return '';
    return `${done.filter((r) => r.pass).length} of ${done.length} passing`;
  }
}

customElements.define('twirl-request-assertions', RequestAssertions);

declare global {
  interface HTMLElementTagNameMap {
    'twirl-request-assertions': RequestAssertions;
  }
}
