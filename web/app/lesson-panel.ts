/**
 * `<twirl-lesson-panel>`: a lesson beside the playground. Shows the open step's text, hints on
 * request, and its checks, run against the live app after every Run (or on "Check"); the next
 * step opens once every check passes. Progress is kept per reader (lesson-progress.ts).
 * Fires `open-app` (detail: a StepToOpen) when the reader moves to a step's app.
 */
import { LitElement, css, html, type PropertyValues } from 'lit';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import type { CheckResult } from '../../shared/checks/check.ts';
import { runChecks } from '../../shared/checks/run-check.ts';
import { messageOf } from '../../shared/errors.ts';
import type { StoredApp } from '../app-model.ts';
import type { PreparedLesson, PreparedStep } from '../lesson-model.ts';
import { checkResultStyles, renderCheckResults } from './check-results.ts';
import { previewCheckTarget, type PreviewAccess } from './check-target.ts';
import { readProgress, saveProgress, unlockedSteps, type LessonProgress } from './lesson-progress.ts';
import { freshStepApp, stepApp } from './lessons.ts';
import { panelStyles } from './panel-styles.ts';

/** A step's app to open, and the file its task is about. */
export interface StepToOpen {
  app: StoredApp;
  /**
   * The one file the step's solution changes, when it changes one: the reader is told to edit
   * it, so it is the file shown. A step that changes several starts from the manifest.
   */
  file?: string;
}

export class LessonPanel extends LitElement {
  static override styles = [
    panelStyles,
    checkResultStyles,
    css`
      :host { border-right: 1px solid var(--tw-border); line-height: 1.45; }
      h2 { font-size: 16px; margin: 8px 0; }
      h3 { font-size: 13px; margin: 0; }
      .lesson-title { display: flex; justify-content: space-between; gap: 8px; align-items: baseline; }
      .lesson-title strong { font-size: 14px; }
      nav ol { list-style: none; display: flex; flex-wrap: wrap; gap: 4px; padding: 0; margin: 6px 0; }
      nav button { min-width: 28px; padding: 2px 6px; }
      nav button[aria-current='step'] { background: var(--tw-selected); border-color: var(--tw-accent); }
      nav button.passed::after { content: ' ✓'; color: var(--tw-ok); }
      .text :is(pre, code) { background: var(--tw-code); border-radius: 3px; font-size: 12px; }
      .text code { padding: 0 3px; }
      .text pre { padding: 6px; }
      .text pre code { padding: 0; background: none; }
      .hints li { margin: 4px 0; }
      .done { color: var(--tw-ok); font-weight: 600; }
      details { margin-top: 10px; }
      details h4 { margin: 8px 0 2px; font-family: ui-monospace, monospace; font-size: 12px; }
    `,
  ];

  static override properties = {
    lesson: { attribute: false },
    appId: { attribute: false },
    revision: { attribute: false },
    preview: { attribute: false },
    progress: { state: true },
    results: { state: true },
    hints: { state: true },
    checking: { state: true },
    error: { state: true },
  };
  declare lesson: PreparedLesson | undefined;
  /** The app open in the playground. */
  declare appId: string;
  /** Bumped by the playground after each Run: the app in the preview changed. */
  declare revision: number;
  declare preview: PreviewAccess | undefined;
  declare progress: LessonProgress | undefined;
  declare results: Array<CheckResult | undefined>;
  /** How many of the step's hints are revealed. */
  declare hints: number;
  declare checking: boolean;
  declare error: string;

  constructor() {
    super();
    this.lesson = undefined;
    this.appId = '';
    this.revision = 0;
    this.preview = undefined;
    this.progress = undefined;
    this.results = [];
    this.hints = 0;
    this.checking = false;
    this.error = '';
  }

  get step(): PreparedStep | undefined {
    return this.lesson?.steps.find((s) => s.id === this.progress?.current) ?? this.lesson?.steps[0];
  }

  /** Whether the open app is the reader's app for the open step. */
  get #onStepApp(): boolean {
    const step = this.step;
    return !!step && this.progress?.apps[step.id] === this.appId;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('lesson') && this.lesson) this.progress = readProgress(this.lesson.name, this.lesson.steps[0]!.id);
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('revision') && this.revision > 0 && this.#onStepApp) void this.check();
  }

  /** Runs the open step's checks against the app in the preview. */
  async check(): Promise<void> {
    const step = this.step;
    const preview = this.preview;
    if (!step || !preview || this.checking || step.checks.length === 0) return;
    this.checking = true;
    this.error = '';
    try {
      const results = await runChecks(step.checks, previewCheckTarget(preview));
      if (this.step !== step) return;
      this.results = results;
      if (results.every((r) => r.pass)) this.#markPassed(step);
    } catch (err) {
      this.error = messageOf(err);
    } finally {
      this.checking = false;
    }
  }

  async #go(step: PreparedStep, fresh = false): Promise<void> {
    const lesson = this.lesson;
    if (!lesson || !this.progress) return;
    this.#save({ ...this.progress, current: step.id });
    this.results = [];
    this.hints = 0;
    const app = fresh ? await freshStepApp(lesson, step) : await stepApp(lesson, step);
    // stepApp may have recorded a new app for the step.
    this.progress = readProgress(lesson.name, lesson.steps[0]!.id);
    const edited = Object.keys(step.solution);
    this.dispatchEvent(new CustomEvent<StepToOpen>('open-app', { detail: { app, ...(edited.length === 1 ? { file: edited[0] } : {}) } }));
  }

  /** Opens the reader's app for the current step (the playground calls this at start). */
  openCurrent(): Promise<void> {
    const step = this.step;
    return step ? this.#go(step) : Promise.resolve();
  }

  #markPassed(step: PreparedStep): void {
    if (!this.progress || this.progress.passed.includes(step.id)) return;
    this.#save({ ...this.progress, passed: [...this.progress.passed, step.id] });
  }

  #save(progress: LessonProgress): void {
    this.progress = progress;
    if (this.lesson) saveProgress(this.lesson.name, progress);
  }

  override render() {
    const lesson = this.lesson;
    const step = this.step;
    const progress = this.progress;
    if (!lesson || !step || !progress) return html`<p class="muted">Loading the lesson…</p>`;
    const index = lesson.steps.indexOf(step);
    const open = unlockedSteps(lesson.steps, progress.passed);
    const passed = progress.passed.includes(step.id);
    const next = lesson.steps[index + 1];
    return html`
      <div class="lesson-title"><strong>${lesson.title}</strong><a href=${location.pathname}>Leave</a></div>
      <nav aria-label="Steps">
        <ol>
          ${lesson.steps.map(
            (s, i) => html`<li>
              <button
                class=${progress.passed.includes(s.id) ? 'passed' : ''}
                aria-current=${s === step ? 'step' : 'false'}
                title=${i < open ? s.title : `${s.title} (opens when the steps before it pass)`}
                ?disabled=${i >= open}
                @click=${() => this.#go(s)}
              >${i + 1}</button>
            </li>`,
          )}
        </ol>
      </nav>
      <article aria-label="Step">
        <h2>Step ${index + 1} of ${lesson.steps.length}: ${step.title}</h2>
        <div class="text">${unsafeHTML(step.html)}</div>
        ${this.#renderHints(step)}
        ${step.checks.length
          ? html`<section aria-label="Step checks">
              <div class="row">
                <h3>Checks</h3>
                <button @click=${() => this.check()} ?disabled=${this.checking || !this.preview || !this.#onStepApp}>${this.checking ? 'Checking…' : 'Check'}</button>
                <span class="muted" role="status">${this.#summary()}</span>
              </div>
              ${this.error ? html`<p class="error">${this.error}</p>` : ''}
              ${renderCheckResults(step.checks, this.results)}
            </section>`
          : passed
            ? ''
            : html`<p><button class="primary" @click=${() => this.#markPassed(step)}>Mark as done</button></p>`}
        <div class="row">
          ${next ? html`<button class="primary" ?disabled=${!passed} @click=${() => this.#go(next)}>Next step</button>` : ''}
          ${passed ? html`<span class="done" role="status">${next ? 'Step done: the next one is open.' : 'You finished the tutorial.'}</span>` : ''}
        </div>
        <details>
          <summary>Start over, or see the solution</summary>
          <p><button @click=${() => confirm('Start this step over? Your edits to it are set aside.') && this.#go(step, true)}>Start this step over</button></p>
          ${Object.entries(step.solution).map(([path, text]) => html`<h4>${path}</h4><pre>${text}</pre>`)}
        </details>
      </article>
    `;
  }

  #renderHints(step: PreparedStep) {
    if (step.hints.length === 0) return '';
    return html`<section class="hints" aria-label="Hints">
      <ol>
        ${step.hints.slice(0, this.hints).map((hint) => html`<li>${unsafeHTML(hint)}</li>`)}
      </ol>
      ${this.hints < step.hints.length
        ? html`<button @click=${() => this.hints++}>${this.hints ? 'Another hint' : 'Show a hint'} (${this.hints + 1} of ${step.hints.length})</button>`
        : ''}
    </section>`;
  }

  #summary(): string {
    if (this.checking) return '';
    const done = this.results.filter((r) => r !== undefined);
    if (done.length === 0) return this.#onStepApp ? 'Run the app to check it.' : '';
    const passing = done.filter((r) => r.pass).length;
    return `${passing} of ${done.length} passing`;
  }
}

customElements.define('twirl-lesson-panel', LessonPanel);

declare global {
  interface HTMLElementTagNameMap {
    'twirl-lesson-panel': LessonPanel;
  }
}
