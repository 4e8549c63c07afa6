/**
 * `<twirl-app>`: the playground. Files and editor on the left, the running app on the right
 * (preview, request builder, logs, key-value data). State lives in reactive properties and an
 * AppSession; the panels are their own elements.
 */
import { LitElement, html } from 'lit';
import { MANIFEST, type AppFile, type StoredApp, type TemplateSummary } from '../app-model.ts';
import { deleteApp, listApps, saveApp } from '../app-store.ts';
import { messageOf, type Diagnostic } from '../../shared/errors.ts';
import type { PreviewEvent } from '../preview-protocol.ts';
import { appFromShareLink, appToResume, rememberCurrent } from './app-opening.ts';
import { AppSession } from './app-session.ts';
import { warmForEdit } from '../build/app-build.ts';
import { buildEdited, type BuildStatus } from './build-action.ts';
import type { LineDiagnostic } from './code-editor.ts';
import { editedSources, manifestDiagnostics } from './edit-checks.ts';
import type { FileKind } from './file-tree.ts';
import { RequestLog } from './request-log.ts';
import { StackMapper } from './stack-mapping.ts';
import { revealSource } from './file-pane.ts';
import type { OriginalPosition } from '../../shared/build/source-map.ts';
import { appFromTemplate, listTemplates } from './templates.ts';
import type { PreparedLesson } from '../lesson-model.ts';
import { fetchLesson, lessonInUrl } from './lessons.ts';
import type { LessonPanel, StepToOpen } from './lesson-panel.ts';
import './lesson-panel.ts';
import { playgroundStyles } from './twirl-app-styles.ts';
import { isDark, rememberTheme, rememberedTheme, type Theme } from './theme.ts';
import { renderToolbar } from './toolbar.ts';
import { renderFilePane } from './file-pane.ts';
import { renderRunPane, type RunTab } from './run-pane.ts';
import './code-editor.ts';
import './file-tree.ts';
import './logs-panel.ts';
import './kv-inspector.ts';
import './preview-pane.ts';
import './request-builder.ts';
import './variables-editor.ts';
import { NEEDS_JSPI } from '../../shared/host/host-waits.ts';
import { span, timed } from '../timing.ts';

export class TwirlApp extends LitElement {
  static override styles = playgroundStyles;
  static override properties = {
    templates: { state: true },
    apps: { state: true },
    session: { state: true },
    app: { state: true },
    selected: { state: true },
    diagnostics: { state: true },
    edited: { state: true },
    log: { state: true },
    logVersion: { state: true },
    tab: { state: true },
    previewOrigin: { state: true },
    revision: { state: true },
    notice: { state: true },
    problem: { state: true },
    shareLink: { state: true },
    building: { state: true },
    buildDiagnostics: { state: true },
    theme: { reflect: true },
    dark: { state: true },
    lesson: { state: true },
  };
  declare templates: TemplateSummary[];
  declare apps: StoredApp[];
  declare session: AppSession | undefined;
  /** The session's app, mirrored so edits re-render. */
  declare app: StoredApp | undefined;
  declare selected: string;
  declare diagnostics: LineDiagnostic[];
  declare edited: string[];
  declare log: RequestLog;
  /** Bumped (at most once a frame) when the log changes: it is mutated in place. */
  declare logVersion: number;
  declare tab: RunTab;
  declare previewOrigin: string;
  declare revision: number;
  declare notice: string;
  declare problem: string;
  declare shareLink: string;
  /** The component being built in the browser, and how far it got. */
  declare building: BuildStatus | undefined;
  /** Where the last build failed, in the app's source files. */
  declare buildDiagnostics: Diagnostic[];
  /** The reader's chosen colours (remembered on this device); unset follows the system. */
  declare theme: Theme | undefined;
  /** Whether the page shows dark now, by choice or by the system. */
  declare dark: boolean;
  /** The tutorial open beside the app (`?lesson=<name>`), if any. */
  declare lesson: PreparedLesson | undefined;
  readonly #systemColours = matchMedia('(prefers-color-scheme: dark)');
  readonly #followSystem = () => (this.dark = isDark(this.theme));
  #stopEvents: (() => void) | undefined;
  /** Reads the running components' stack traces back to the app's files. */
  readonly #stacks = new StackMapper();
  // oxlint-disable-next-line no-unused-private-class-members -- read by `||=` in #onPreviewEvent, which the rule misses.
  #logFrame = 0;

  constructor() {
    super();
    this.templates = [];
    this.apps = [];
    this.session = undefined;
    this.app = undefined;
    this.selected = MANIFEST;
    this.diagnostics = [];
    this.edited = [];
    this.log = new RequestLog();
    this.logVersion = 0;
    this.tab = 'preview';
    this.previewOrigin = '';
    this.revision = 0;
    this.notice = '';
    this.problem = '';
    this.shareLink = '';
    this.building = undefined;
    this.buildDiagnostics = [];
    this.theme = rememberedTheme();
    this.dark = isDark(this.theme);
    this.lesson = undefined;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#systemColours.addEventListener('change', this.#followSystem);
    void this.#start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#systemColours.removeEventListener('change', this.#followSystem);
  }

  /** Switches between light and dark, and remembers the choice. */
  toggleTheme(): void {
    this.theme = this.dark ? 'light' : 'dark';
    this.dark = this.theme === 'dark';
    rememberTheme(this.theme);
  }

  async #start(): Promise<void> {
    span('page: navigation → playground started', 0);
    // Only the toolbar's menu needs the list: the app opens meanwhile, a round trip sooner. Without
    // it (the server did not answer) the menu stays empty and the app still opens.
    listTemplates().then(
      (templates) => (this.templates = templates),
      () => {},
    );
    if (await this.#startLesson()) return;
    try {
      const shared = await appFromShareLink(location.hash);
      if (shared) history.replaceState(null, '', location.pathname + location.search);
      await this.open(shared ?? (await appToResume()));
    } catch (err) {
      // Opening clears the banners: say why after it.
      const problem = `Could not open the app: ${messageOf(err)}`;
      await this.open(await appToResume());
      this.problem ||= problem;
    }
  }

  /** Opens the lesson the address names, at the reader's step; false when there is none (or it fails to load). */
  async #startLesson(): Promise<boolean> {
    const name = lessonInUrl(location.search);
    if (!name) return false;
    try {
      this.lesson = await fetchLesson(name);
      await this.updateComplete;
      await this.renderRoot.querySelector<LessonPanel>('twirl-lesson-panel')?.openCurrent();
      return true;
    } catch (err) {
      this.lesson = undefined;
      await this.open(await appToResume());
      this.problem = `Could not open the lesson: ${messageOf(err)}`;
      return true;
    }
  }

  /** Makes `app` the open app, with `file` in the editor (else its manifest), and starts its preview. */
  async open(app: StoredApp, file?: string): Promise<void> {
    const previous = this.session;
    this.#stopEvents?.();
    const session = new AppSession(app);
    this.session = session;
    await previous?.close();
    this.app = app;
    this.selected = file && app.files[file] ? file : app.files[MANIFEST] ? MANIFEST : (Object.keys(app.files)[0] ?? MANIFEST);
    this.log = new RequestLog();
    this.previewOrigin = '';
    // Nothing said about the previous app stays on screen: its banners, link and responses.
    this.problem = '';
    this.notice = '';
    this.shareLink = '';
    this.buildDiagnostics = [];
    this.building = undefined;
    rememberCurrent(app.id);
    this.#stopEvents = session.connection.onEvent((event) => this.#onPreviewEvent(event));
    this.apps = await listApps();
    this.#check();
    // What the app needs built is built while the preview's worker starts (a new origin's worker
    // registers first); without JSPI (WebKit) apps run too: a request that needs it fails and says so (below).
    await this.run(session.connection.ready);
  }

  /**
   * Builds edited components (in the browser), then (re)starts the preview with the app; `ready`,
   * for an app just opened, is its preview's start, which the builds need not wait for.
   */
  async run(ready?: Promise<unknown>): Promise<void> {
    const session = this.session;
    if (!session || this.building) return;
    this.notice = '';
    try {
      const saving: Promise<void>[] = [];
      const [built, started] = await Promise.all([
        buildEdited(this, session, saving),
        ready?.then(
          () => true,
          (err: unknown) => {
            if (this.session === session) this.problem = `The preview did not start: ${messageOf(err)}`;
            return false;
          },
        ) ?? true,
      ]);
      if (!built || !started || this.session !== session) return void Promise.all(saving).catch(() => {});
      this.#check();
      await timed('page: source maps', () => this.#stacks.load(session.app));
      // The preview starts while the builds are written to this page's IndexedDB; a failed write still fails the Run.
      const buildNotice = this.notice;
      const preparing = (path: string) => {
        if (this.session === session) this.say(`Preparing ${path} again for this release of the playground (jco transpile)…`);
      };
      const [preparedAgain] = await Promise.all([timed('page: hand the app to the preview', () => session.run(preparing)), ...saving]);
      if (preparedAgain.length > 0 && this.session === session) {
        this.notice = [buildNotice, `Prepared ${preparedAgain.join(', ')} again: an earlier release of the playground had prepared ${preparedAgain.length === 1 ? 'it' : 'them'}.`].filter(Boolean).join(' ');
      }
      this.previewOrigin = session.connection.origin;
      this.revision++;
      this.apps = await listApps();
      void this.renderRoot.querySelector('twirl-kv-inspector')?.refresh();
    } catch (err) {
      // A session closed meanwhile (another app was opened) needs no message.
      if (this.session === session) this.problem = `Could not start the preview: ${messageOf(err)}${stillRunning(this.previewOrigin)}`;
    }
  }

  async newFromTemplate(name: string): Promise<void> {
    const app = await appFromTemplate(name);
    await saveApp(app);
    await this.open(app);
  }

  async deleteCurrent(): Promise<void> {
    const app = this.app;
    if (!app || !confirm(`Delete ${app.name} and its key-value data?`)) return;
    await deleteApp(app.id);
    await this.open(await appToResume());
  }

  setFile(path: string, file: AppFile | undefined): void {
    this.session?.setFile(path, file);
    // A link made before the edit no longer describes what is on screen.
    this.shareLink = '';
    this.app = this.session?.app;
    this.#check();
    warmForEdit(this.app, path);
  }

  setVariables(values: Record<string, string>): void {
    this.session?.setVariables(values);
    this.shareLink = '';
    this.app = this.session?.app;
    this.#check();
  }

  select(path: string): void {
    this.selected = path;
  }

  show(tab: RunTab): void {
    this.tab = tab;
    if (tab === 'kv') void this.renderRoot.querySelector('twirl-kv-inspector')?.refresh();
  }

  say(notice: string, problem = ''): void {
    this.notice = notice;
    this.problem = problem;
  }

  fileKinds(): Record<string, FileKind> {
    const kinds: Record<string, FileKind> = {};
    for (const [path, file] of Object.entries(this.app?.files ?? {})) kinds[path] = 'component' in file ? 'component' : 'base64' in file ? 'binary' : 'text';
    return kinds;
  }

  #check(): void {
    const app = this.app;
    if (!app) return;
    this.diagnostics = manifestDiagnostics(app);
    void editedSources(app).then((edited) => (this.edited = edited));
  }

  /** What `component`'s top-level code printed while it was built, shown in Logs as its requests' lines are. */
  showBuildOutput(component: string, text: string): void {
    if (!this.app || !text) return;
    this.log.addBuildOutput(this.app.id, component, text);
    this.logVersion++;
  }

  #onPreviewEvent(event: PreviewEvent): void {
    this.log.add(this.#stacks.map(event));
    if (event.type === 'log' && event.stream === 'stderr' && event.line.includes(NEEDS_JSPI)) this.problem = event.line.replace(/^\[twirl\] request failed: t/, 'T');
    // A burst of requests (a load test from the request builder's page) must not re-render per event.
    this.#logFrame ||= requestAnimationFrame(() => {
      this.#logFrame = 0;
      this.logVersion++;
    });
    if (event.type === 'request' && this.tab === 'kv') void this.renderRoot.querySelector('twirl-kv-inspector')?.refresh();
  }

  override render() {
    return html`${renderToolbar(this)}
      ${this.problem ? html`<div class="banner problem" role="alert">${this.problem}<button aria-label="Dismiss" @click=${() => (this.problem = '')}>✕</button></div>` : ''}
      ${this.notice ? html`<div class="banner notice" role="status">${this.notice}<button aria-label="Dismiss" @click=${() => (this.notice = '')}>✕</button></div>` : ''}
      <main class=${this.lesson ? 'with-lesson' : ''} @reveal=${(e: CustomEvent<OriginalPosition>) => revealSource(this, e.detail)}>
        ${this.lesson
          ? html`<twirl-lesson-panel
              .lesson=${this.lesson}
              .appId=${this.app?.id ?? ''}
              .revision=${this.revision}
              .preview=${this.session?.connection}
              @open-app=${(e: CustomEvent<StepToOpen>) => this.open(e.detail.app, e.detail.file)}
            ></twirl-lesson-panel>`
          : ''}
        ${renderFilePane(this)} ${renderRunPane(this)}
      </main>`;
  }
}


/** For a failure while a preview runs: it still shows the last build that worked. */
export const stillRunning = (previewOrigin: string): string =>
  previewOrigin ? ' — the preview still runs the last good build.' : '';

customElements.define('twirl-app', TwirlApp);

declare global {
  interface HTMLElementTagNameMap {
    'twirl-app': TwirlApp;
  }
}
