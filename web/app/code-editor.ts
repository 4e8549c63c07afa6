/**
 * `<twirl-code-editor>`: CodeMirror 6 for one file. Set `path` and `value`; listen for `change`
 * (detail: the new text) and `save` (Ctrl/Cmd-S). `diagnostics` mark lines (1-based) with errors; the `readonly` attribute (`locked`) locks it.
 * `label` names it for assistive technology (default: "Edit <path>"); `dark` switches to dark colours.
 * A JS/TS file gets TypeScript's errors as you type, completions and Format document (Shift-Alt-F,
 * or `format()`); `files` gives the app's other text files, which it may import.
 */
import { LitElement, css, type PropertyValues } from 'lit';
import { basicSetup } from 'codemirror';
import { Compartment, EditorState } from '@codemirror/state';
import { EditorView, keymap } from '@codemirror/view';
import { lintGutter, setDiagnostics, type Diagnostic as EditorDiagnostic } from '@codemirror/lint';
import { codeIntelligence, formatDocument, relint } from '../editor/code-intelligence.ts';
import { isScript } from '../editor/typescript-project.ts';
import { lockedLines, type LineRange } from '../editor/locked-lines.ts';
import type { Diagnostic } from '../../shared/errors.ts';
import { darkColours, lightColours } from './editor-colours.ts';
import { languageFor } from './languages.ts';

export interface LineDiagnostic {
  line: number;
  column?: number;
  message: string;
  severity: 'error' | 'warning';
}

/** Twirl's diagnostics of `file` (a manifest's, a build's) as the editor marks them. */
export function lineDiagnosticsOf(diagnostics: readonly Diagnostic[], file: string): LineDiagnostic[] {
  return diagnostics
    .filter((d) => d.file === file)
    .map((d) => ({ line: d.line ?? 1, ...(d.column !== undefined ? { column: d.column } : {}), message: d.message, severity: d.severity }));
}

export class CodeEditor extends LitElement {
  static override styles = css`
    :host { display: block; min-height: 0; overflow: hidden; }
    .cm-editor { height: 100%; font-size: 13px; }
    .cm-scroller { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; }
    .tw-quick-info { margin: 0; padding: 4px 8px; max-width: 60ch; white-space: pre-wrap; font: 12px ui-monospace, monospace; }
  `;

  static override properties = {
    path: {},
    value: {},
    locked: { type: Boolean, attribute: 'readonly' },
    label: {},
    dark: { type: Boolean },
    diagnostics: { attribute: false },
    files: { attribute: false },
    lockedRanges: { attribute: false },
  };
  declare path: string;
  declare value: string;
  declare locked: boolean;
  declare label: string;
  declare dark: boolean;
  declare diagnostics: LineDiagnostic[];
  /** The app's text files by path: what the open file may import, for its type checks. */
  declare files: Record<string, string>;
  /** Lines (1-based, inclusive) that stay read-only in an editable file; read when `path` is set. */
  declare lockedRanges: readonly LineRange[];

  #view: EditorView | undefined;
  readonly #language = new Compartment();
  readonly #lock = new Compartment();
  readonly #name = new Compartment();
  readonly #colours = new Compartment();

  constructor() {
    super();
    this.path = '';
    this.value = '';
    this.locked = false;
    this.label = '';
    this.dark = false;
    this.diagnostics = [];
    this.files = {};
    this.lockedRanges = [];
  }

  override firstUpdated(): void {
    this.#view = new EditorView({
      root: this.renderRoot as ShadowRoot,
      parent: this.renderRoot as ShadowRoot,
      state: this.#state(),
    });
  }

  override updated(changed: PropertyValues<this>): void {
    const view = this.#view;
    if (!view) return;
    if (changed.has('path')) view.setState(this.#state());
    else if (changed.has('value') && this.value !== view.state.doc.toString()) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: this.value } });
    }
    if (changed.has('locked')) view.dispatch({ effects: this.#lock.reconfigure(lockedTo(this.locked)) });
    if (changed.has('label') || changed.has('path')) view.dispatch({ effects: this.#name.reconfigure(this.#contentName()) });
    if (changed.has('dark')) view.dispatch({ effects: this.#colours.reconfigure(this.dark ? darkColours : lightColours) });
    if (!changed.has('diagnostics') && !changed.has('path')) return;
    // A script's lint pass shows these beside TypeScript's; setting them here would be overwritten.
    if (isScript(this.path)) relint(view);
    else view.dispatch(setDiagnostics(view.state, this.#toEditor(view.state)));
  }

  /** Formats the file (JS/TS) with TypeScript's formatter. */
  async format(): Promise<void> {
    if (this.#view && isScript(this.path)) await formatDocument(this.#view, this.path, () => this.files);
  }

  /** Places the cursor on `line` (1-based) and scrolls to it. */
  revealLine(line: number): void {
    const view = this.#view;
    if (!view) return;
    const at = view.state.doc.line(Math.min(Math.max(line, 1), view.state.doc.lines));
    view.dispatch({ selection: { anchor: at.from }, effects: EditorView.scrollIntoView(at.from, { y: 'center' }) });
  }

  #state(): EditorState {
    return EditorState.create({
      doc: this.value,
      extensions: [
        // Before basicSetup's keymaps, so the browser's "save page" never opens.
        keymap.of([{ key: 'Mod-s', preventDefault: true, run: () => (this.dispatchEvent(new CustomEvent('save')), true) }]),
        basicSetup,
        EditorView.lineWrapping,
        lintGutter(),
        this.#language.of(languageFor(this.path)),
        this.#lock.of(lockedTo(this.locked)),
        this.#name.of(this.#contentName()),
        this.#colours.of(this.dark ? darkColours : lightColours),
        lockedLines(this.lockedRanges),
        codeIntelligence(this.path, () => this.files, (view) => this.#toEditor(view.state)),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) this.dispatchEvent(new CustomEvent('change', { detail: update.state.doc.toString() }));
        }),
      ],
    });
  }

  #contentName() {
    return EditorView.contentAttributes.of({ 'aria-label': this.label || `Edit ${this.path}` });
  }

  #toEditor(state: EditorState): EditorDiagnostic[] {
    return this.diagnostics.map((d) => {
      const line = state.doc.line(Math.min(Math.max(d.line, 1), state.doc.lines));
      const from = Math.min(line.from + Math.max((d.column ?? 1) - 1, 0), line.to);
      return { from, to: line.to > from ? line.to : from, severity: d.severity, message: d.message };
    });
  }
}

const lockedTo = (locked: boolean) => [EditorState.readOnly.of(locked), EditorView.editable.of(!locked)];

customElements.define('twirl-code-editor', CodeEditor);

declare global {
  interface HTMLElementTagNameMap {
    'twirl-code-editor': CodeEditor;
  }
}
