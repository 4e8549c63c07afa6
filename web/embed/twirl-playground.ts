/**
 * `<twirl-playground>`: an example app's source and a Run button, running the app right in the
 * page (the engine on the main thread, key-value data in memory); an edited JS/TS source is
 * built again first, in the playground's build worker. Every attribute is documented, with live
 * examples, on the playground's `embed.html`:
 * `template`, `file`, `files`, `readonly`, `readonly-lines`, `method`, `path`, `body`, `headers`,
 * `expect-status`, `expect-body`, `autorun`, `height`, `theme`, `lazy`.
 */
import { LitElement, html } from 'lit';
import type { Engine } from '../../shared/engine.ts';
import { ManifestError, formatDiagnostic, type Diagnostic, messageOf } from '../../shared/errors.ts';
import { MemoryKeyValueBackend } from '../../shared/key-value-memory.ts';
import type { LogLine } from '../../shared/ports.ts';
import { MANIFEST, type PreparedTemplate, type StoredApp } from '../app-model.ts';
import { createAppEngine } from '../app-engine.ts';
import { editedSources, manifestDiagnostics } from '../app/edit-checks.ts';
import { PHASE_TEXT, rebuildComponent, staleComponents, warmForEdit } from '../build/app-build.ts';
import type { BuildPhase } from '../build/build-protocol.ts';
import { BuildFailure } from '../build/component-builder.ts';
import { initOutputLines } from '../build/init-output.ts';
import { embedStyles } from './embed-styles.ts';
import { renderResult, type RunResult } from './run-result.ts';
import { lineDiagnosticsOf } from '../app/code-editor.ts';
import { NEEDS_JSPI } from '../../shared/host/host-waits.ts';
import { checkResponse, listedFiles, lockedLineRanges, readExpectations, requestHeaders, type CheckResult } from './embed-options.ts';
import { openInPlayground } from './open-in-playground.ts';
import type { LineRange } from '../editor/locked-lines.ts';

/** The playground this script came from: templates and components are fetched from there. */
const origin = new URL(import.meta.env.BASE_URL, import.meta.url);

export class TwirlPlayground extends LitElement {
  static override styles = embedStyles;
  static override properties = {
    template: {},
    path: {},
    method: {},
    body: {},
    file: {},
    locked: { type: Boolean, attribute: 'readonly' },
    height: {},
    theme: { reflect: true },
    lazy: { type: Boolean },
    autorun: { type: Boolean },
    checks: { state: true },
    waiting: { state: true },
    app: { state: true },
    result: { state: true },
    problem: { state: true },
    running: { state: true },
    edited: { state: true },
    phase: { state: true },
    buildDiagnostics: { state: true },
  };
  declare template: string;
  declare path: string;
  declare method: string;
  /** The request body Run sends. */
  declare body: string;
  declare file: string;
  declare locked: boolean;
  /** The editor's height (a CSS length). */
  declare height: string;
  /** `light`, `dark` or `auto` (the reader's system). */
  declare theme: string;
  /** Loads nothing until the embed is scrolled into view. */
  declare lazy: boolean;
  /** Sends the request once the example has loaded. */
  declare autorun: boolean;
  /** The response checked against `expect-status` and `expect-body`, after Run. */
  declare checks: CheckResult[];
  /** Lazy and not yet in view. */
  declare waiting: boolean;
  declare app: StoredApp | undefined;
  declare result: RunResult | undefined;
  declare problem: string;
  declare running: boolean;
  declare edited: string[];
  /** How far the build of an edited source got, while it runs. */
  declare phase: BuildPhase | undefined;
  declare buildDiagnostics: Diagnostic[];
  readonly #keyValue = new MemoryKeyValueBackend();
  /** The reader's system colours: the embed follows them, as the page around it should. */
  readonly #darkSystem = matchMedia('(prefers-color-scheme: dark)');
  readonly #recolour = () => this.requestUpdate();
  #engine: Engine | undefined;
  #inView: IntersectionObserver | undefined;

  constructor() {
    super();
    this.template = 'http-js';
    this.path = '/';
    this.method = 'GET';
    this.body = '';
    this.file = '';
    this.locked = false;
    this.height = '';
    this.theme = 'auto';
    this.lazy = false;
    this.autorun = false;
    this.checks = [];
    this.waiting = false;
    this.app = undefined;
    this.result = undefined;
    this.problem = '';
    this.running = false;
    this.edited = [];
    this.phase = undefined;
    this.buildDiagnostics = [];
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#darkSystem.removeEventListener('change', this.#recolour);
    this.#inView?.disconnect();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#darkSystem.addEventListener('change', this.#recolour);
    if (this.app) return;
    if (!this.lazy) return void this.#start();
    this.waiting = true;
    this.#inView = new IntersectionObserver((entries) => {
      if (!entries.some((e) => e.isIntersecting)) return;
      this.#inView?.disconnect();
      this.waiting = false;
      void this.#start();
    });
    this.#inView.observe(this);
  }

  /** Fetches the example, then runs it if `autorun`. */
  async #start(): Promise<void> {
    try {
      const response = await fetch(new URL(`__twirl/templates/${encodeURIComponent(this.template)}.json`, origin));
      if (!response.ok) throw new Error(`no example "${this.template}" (${response.status})`);
      const template = (await response.json()) as PreparedTemplate;
      this.app = { id: `embed-${this.template}`, name: template.name, files: template.files, updated: Date.now() };
      if (!this.file || !this.app.files[this.file]) this.file = listedFiles(this.getAttribute('files')).find((p) => this.app?.files[p]) ?? firstSource(this.app);
    } catch (err) {
      this.problem = messageOf(err);
      return;
    }
    if (this.autorun) await this.run();
  }

  /** The tabs: the `files` attribute's, in its order, else every text file but a README. */
  #shownFiles(): string[] {
    const files = this.app?.files ?? {};
    const listed = listedFiles(this.getAttribute('files'));
    if (listed.length) return listed.filter((p) => files[p] && 'text' in files[p]);
    return Object.keys(files).filter((p) => 'text' in files[p]! && !/^README/i.test(p));
  }

  /** Read-only lines of `path`, from `readonly-lines`; a malformed attribute shows as the embed's problem. */
  #lockedRanges(path: string): readonly LineRange[] {
    try {
      return lockedLineRanges(this.getAttribute('readonly-lines')).get(path) ?? [];
    } catch (err) {
      this.problem ||= messageOf(err);
      return [];
    }
  }

  get #dark(): boolean {
    return this.theme === 'dark' || (this.theme !== 'light' && this.#darkSystem.matches);
  }

  override render() {
    const app = this.app;
    const style = this.height ? `height:${this.height}` : '';
    if (!app) return html`<div class="frame"><p class="${this.problem ? 'problem' : 'muted'} waiting" style=${style}>${this.problem || (this.waiting ? 'The example loads when scrolled into view.' : 'Loading…')}</p></div>`;
    const current = app.files[this.file];
    const diagnostics = this.file === MANIFEST ? manifestDiagnostics(app) : lineDiagnosticsOf(this.buildDiagnostics, this.file);
    return html`<div class="frame">
      <nav class="tabs" role="tablist">
        ${this.#shownFiles().map((path) => html`<button role="tab" aria-selected=${path === this.file} @click=${() => (this.file = path)}>${path}</button>`)}
      </nav>
      <twirl-code-editor
        .path=${this.file}
        .value=${current && 'text' in current ? current.text : ''}
        .locked=${this.locked}
        .lockedRanges=${this.#lockedRanges(this.file)}
        .files=${textsOf(app)}
        style=${this.height ? `height:${this.height};max-height:none` : ''}
        .label=${`${this.locked ? 'Source' : 'Edit'} ${this.file} (${app.name})`}
        .dark=${this.#dark}
        .diagnostics=${diagnostics}
        @change=${(e: CustomEvent<string>) => this.#edit(e.detail)}
      ></twirl-code-editor>
      ${this.edited.includes(this.file) && !this.phase ? html`<p class="note">Edited: Run builds it again, here in the browser.</p>` : ''}
      <div class="bar">
        <button class="run" @click=${() => this.run()} ?disabled=${this.running}>${this.phase ? 'Building…' : this.running ? 'Running…' : 'Run'}</button>
        <code>${this.method} ${this.path}</code>
        ${this.phase ? html`<span class="muted" role="status">${PHASE_TEXT[this.phase]}…</span>` : ''}
        <button class="open" @click=${() => this.#open()} title="Opens this example, with your edits, in the playground">Open in playground ↗</button>
      </div>
      ${this.problem ? html`<pre class="problem">${this.problem}</pre>` : ''} ${this.result ? renderResult(this.result, this.checks) : ''}
    </div>`;
  }

  /** Sends the request to the app, starting it (again, after an edit) first. */
  async run(): Promise<void> {
    if (!this.app) return;
    this.running = true;
    this.problem = '';
    const logs: LogLine[] = [];
    try {
      if (!(await this.#buildEdited(logs))) return;
      this.#engine ??= await createAppEngine(this.app, {
        keyValue: this.#keyValue,
        logs: { write: (line) => void logs.push(line) },
        fetch: (request) => fetch(request),
        base: origin,
      });
      const started = performance.now();
      const hasBody = this.body && this.method !== 'GET' && this.method !== 'HEAD';
      const request = new Request(new URL(this.path, location.origin), { method: this.method, headers: requestHeaders(this.getAttribute('headers')), ...(hasBody ? { body: this.body } : {}) });
      const response = await this.#engine.handle(request);
      const body = new Uint8Array(await response.arrayBuffer());
      this.result = { status: response.status, headers: [...response.headers], body, ms: performance.now() - started, logs };
      // Without JSPI a component that waits on the network fails: say why above the result.
      const needsJspi = logs.find((l) => l.line.includes(NEEDS_JSPI));
      if (needsJspi) this.problem = needsJspi.line.replace(/^\[twirl\] request failed: t/, 'T');
      const expected = readExpectations(this.getAttribute('expect-status'), this.getAttribute('expect-body'));
      this.checks = checkResponse(expected, response.status, new TextDecoder().decode(body));
    } catch (err) {
      this.#engine = undefined;
      this.result = undefined;
      this.problem = err instanceof ManifestError ? err.diagnostics.map(formatDiagnostic).join('\n') : messageOf(err);
    } finally {
      this.running = false;
    }
  }

  /**
   * Builds each component whose sources were edited; false (problem shown) when one fails. What
   * their top-level code printed while built goes to `logs`, ahead of the request's.
   */
  async #buildEdited(logs: LogLine[]): Promise<boolean> {
    for (const component of await staleComponents(this.app!)) {
      try {
        const built = await rebuildComponent(this.app!, component, (phase) => (this.phase = phase));
        if (built.initOutput) logs.push(...initOutputLines(this.app!.id, component.id, built.initOutput, ''));
        await built.saved;
        this.app = { ...this.app!, files: { ...this.app!.files, [component.output]: built.file } };
        this.#engine = undefined;
      } catch (err) {
        this.buildDiagnostics = err instanceof BuildFailure ? err.diagnostics : [];
        this.problem = this.buildDiagnostics.length ? this.buildDiagnostics.map(formatDiagnostic).join('\n') : messageOf(err);
        // What it printed before it failed comes first, as it would in a terminal.
        if (err instanceof BuildFailure && err.initOutput) this.problem = `${err.initOutput.trimEnd()}\n${this.problem}`;
        const at = this.buildDiagnostics[0]?.file;
        if (at && this.app?.files[at]) this.file = at;
        this.result = undefined;
        return false;
      } finally {
        this.phase = undefined;
      }
    }
    this.buildDiagnostics = [];
    void editedSources(this.app!).then((edited) => (this.edited = edited));
    return true;
  }

  /** Opens the example as the reader left it (edits included) in the playground, in a new tab. */
  async #open(): Promise<void> {
    if (!this.app) return;
    try {
      await openInPlayground(this.app, origin);
    } catch (err) {
      this.problem = messageOf(err);
    }
  }

  #edit(text: string): void {
    if (!this.app || this.locked) return;
    this.app = { ...this.app, files: { ...this.app.files, [this.file]: { text } } };
    this.#engine = undefined;
    void editedSources(this.app).then((edited) => (this.edited = edited));
    warmForEdit(this.app, this.file);
  }
}

/** The app's text files by path: what the editor's type checks read. */
function textsOf(app: StoredApp): Record<string, string> {
  const texts: Record<string, string> = {};
  for (const [path, file] of Object.entries(app.files)) if ('text' in file) texts[path] = file.text;
  return texts;
}

/** The first component source, else the manifest. */
function firstSource(app: StoredApp): string {
  const sources = Object.values(app.files).flatMap((f) => ('component' in f ? Object.keys(f.component.sources ?? {}) : []));
  return sources.sort()[0] ?? MANIFEST;
}

customElements.define('twirl-playground', TwirlPlayground);

declare global {
  interface HTMLElementTagNameMap {
    'twirl-playground': TwirlPlayground;
  }
}
