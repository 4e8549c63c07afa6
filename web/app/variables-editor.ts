/**
 * `<twirl-variables-editor>`: values for the manifest's `[variables]`, as `spin up --variable`
 * gives them; empty means the default. Fires `change` (detail: the values) as they are typed.
 */
import { LitElement, css, html } from 'lit';
import type { VariableDeclaration } from '../../shared/manifest/types.ts';
import { panelStyles } from './panel-styles.ts';

export class VariablesEditor extends LitElement {
  static override properties = { declared: { attribute: false }, values: { attribute: false } };
  declare declared: Record<string, VariableDeclaration>;
  declare values: Record<string, string>;

  static override styles = [
    panelStyles,
    css`
      label { display: grid; grid-template-columns: 180px 1fr; gap: 8px; align-items: center; margin-bottom: 6px; font-family: ui-monospace, monospace; }
      .required { color: var(--tw-error); }
    `,
  ];

  constructor() {
    super();
    this.declared = {};
    this.values = {};
  }

  override render() {
    const names = Object.keys(this.declared).sort();
    if (names.length === 0) return html`<p class="muted">The manifest declares no <code>[variables]</code>.</p>`;
    return html`<p class="muted">Values for the app's variables; press Run to apply them.</p>
      ${names.map((name) => {
        const d = this.declared[name]!;
        return html`<label>
          <span>${name}${d.required ? html` <span class="required">*</span>` : ''}</span>
          <input
            name=${name}
            type=${d.secret ? 'password' : 'text'}
            placeholder=${d.default ?? (d.required ? 'required' : '')}
            .value=${this.values[name] ?? ''}
            @input=${(e: Event) => this.#set(name, (e.target as HTMLInputElement).value)}
          />
        </label>`;
      })}`;
  }

  #set(name: string, value: string): void {
    const values = { ...this.values };
    if (value === '') delete values[name];
    else values[name] = value;
    this.values = values;
    this.dispatchEvent(new CustomEvent('change', { detail: values }));
  }
}

customElements.define('twirl-variables-editor', VariablesEditor);

declare global {
  interface HTMLElementTagNameMap {
    'twirl-variables-editor': VariablesEditor;
  }
}
