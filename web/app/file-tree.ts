/**
 * `<twirl-file-tree>`: the app's files as folders and files. `files` maps each path to its kind;
 * fires `select` (detail: path) and `remove` (detail: path).
 */
import { LitElement, css, html } from 'lit';
import { focusRing } from './theme.ts';

export type FileKind = 'text' | 'binary' | 'component';

interface Row {
  path: string;
  name: string;
  depth: number;
  folder: boolean;
}

export class FileTree extends LitElement {
  static override properties = { files: { attribute: false }, selected: {}, locked: { type: Boolean, attribute: 'readonly' } };
  declare files: Record<string, FileKind>;
  declare selected: string;
  declare locked: boolean;

  static override styles = [
    focusRing,
    css`
      :host { display: block; font: 13px system-ui, sans-serif; overflow: auto; }
      ul { list-style: none; margin: 0; padding: 4px 0; }
      li { display: flex; align-items: center; gap: 4px; padding: 2px 8px; cursor: pointer; white-space: nowrap; }
      li:focus-visible { outline-offset: -2px; }
      li.folder { color: var(--tw-muted); cursor: default; }
      li[aria-selected='true'] { background: var(--tw-selected); }
      li:hover:not(.folder) { background: var(--tw-hover); }
      .name { flex: 1; overflow: hidden; text-overflow: ellipsis; }
      .tag { font-size: 11px; color: var(--tw-tag); }
      /* Shown on hover and on keyboard focus; transparent rather than hidden so Tab still reaches it. */
      button { border: none; background: none; color: var(--tw-muted); cursor: pointer; opacity: 0; padding: 0 2px; font: inherit; }
      li:hover button, li:focus-within button, button:focus-visible { opacity: 1; }
      button::before { content: '✕'; }
    `,
  ];

  constructor() {
    super();
    this.files = {};
    this.selected = '';
    this.locked = false;
  }

  override render() {
    const focusable = this.files[this.selected] ? this.selected : Object.keys(this.files).sort()[0];
    return html`<ul role="tree" aria-label="Files" @keydown=${this.#onKey}>
      ${rowsOf(Object.keys(this.files)).map((row) =>
        row.folder
          ? html`<li role="treeitem" aria-level=${row.depth + 1} aria-expanded="true" class="folder" style="padding-left:${8 + row.depth * 12}px">▾ ${row.name}/</li>`
          : html`<li
              role="treeitem"
              aria-level=${row.depth + 1}
              aria-label=${this.files[row.path] === 'component' ? `${row.path} component` : row.path}
              data-path=${row.path}
              aria-selected=${row.path === this.selected}
              tabindex=${row.path === focusable ? 0 : -1}
              style="padding-left:${8 + row.depth * 12}px"
              @click=${() => this.#emit('select', row.path)}
            >
              <span class="name">${row.name}</span>
              ${this.files[row.path] === 'component' ? html`<span class="tag">component</span>` : ''}
              ${this.locked || row.path === 'spin.toml'
                ? ''
                : html`<button aria-label="Delete ${row.path}" title="Delete ${row.path}" @click=${(e: Event) => (e.stopPropagation(), this.#emit('remove', row.path))}></button>`}
            </li>`,
      )}
    </ul>`;
  }

  /** Arrow keys move between files (a roving tab stop), Home and End jump, Enter or Space opens. */
  #onKey(event: KeyboardEvent): void {
    const item = (event.target as Element).closest<HTMLElement>('li[data-path]');
    if (!item || event.target !== item) return;
    const items = [...this.renderRoot.querySelectorAll<HTMLElement>('li[data-path]')];
    const at = items.indexOf(item);
    const to = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: items.length - 1 }[event.key];
    if (to !== undefined) {
      const next = items[Math.min(Math.max(to, 0), items.length - 1)];
      for (const other of items) other.tabIndex = other === next ? 0 : -1;
      next?.focus();
    } else if (event.key === 'Enter' || event.key === ' ') {
      this.#emit('select', item.dataset['path']!);
    } else if (event.key === 'Delete') {
      item.querySelector('button')?.click();
    } else return;
    event.preventDefault();
  }

  #emit(type: string, path: string): void {
    this.dispatchEvent(new CustomEvent(type, { detail: path }));
  }
}

/** Sorted rows, `spin.toml` first, with a row for each folder before its contents. */
function rowsOf(paths: string[]): Row[] {
  const sorted = [...paths].sort((a, b) => (a === 'spin.toml' ? -1 : b === 'spin.toml' ? 1 : a.localeCompare(b)));
  const rows: Row[] = [];
  const shown = new Set<string>();
  for (const path of sorted) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const folder = parts.slice(0, i).join('/');
      if (shown.has(folder)) continue;
      shown.add(folder);
      rows.push({ path: folder, name: parts[i - 1]!, depth: i - 1, folder: true });
    }
    rows.push({ path, name: parts[parts.length - 1]!, depth: parts.length - 1, folder: false });
  }
  return rows;
}

customElements.define('twirl-file-tree', FileTree);

declare global {
  interface HTMLElementTagNameMap {
    'twirl-file-tree': FileTree;
  }
}
