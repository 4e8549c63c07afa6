/** `<twirl-lesson-menu>`: the tutorials the playground ships; choosing one opens it (`?lesson=<name>`). */
import { LitElement, html } from 'lit';
import type { LessonSummary } from '../lesson-model.ts';
import { listLessons } from './lessons.ts';

export class LessonMenu extends LitElement {
  static override properties = { lessons: { state: true } };
  declare lessons: LessonSummary[];

  constructor() {
    super();
    this.lessons = [];
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void listLessons().then((lessons) => (this.lessons = lessons));
  }

  // The toolbar's own styles (selects, fonts) apply: no shadow root.
  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override render() {
    if (this.lessons.length === 0) return '';
    return html`<select
      aria-label="Tutorials"
      @change=${(e: Event) => {
        const name = (e.target as HTMLSelectElement).value;
        if (name) location.search = `?lesson=${encodeURIComponent(name)}`;
      }}
    >
      <option value="">Tutorials…</option>
      ${this.lessons.map((l) => html`<option value=${l.name} title=${l.description}>${l.title} (${l.steps} steps)</option>`)}
    </select>`;
  }
}

customElements.define('twirl-lesson-menu', LessonMenu);

declare global {
  interface HTMLElementTagNameMap {
    'twirl-lesson-menu': LessonMenu;
  }
}
