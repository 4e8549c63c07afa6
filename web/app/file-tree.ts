/**
 * `<twirl-file-tree>`: the app's files as folders and files. `files` maps each path to its kind;
 * fires `select` (detail: path) and `remove` (detail: path).
 */
import { LitElement, css, html } from 'lit';

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

  static override styles = css`
    :host { display: block; font: 13px system-ui, sans-serif; overflow: auto; }
    ul { list-style: none; margin: 0; padding: 4px 0; }
    li { display: flex; align-items: center; gap: 4px; padding: 2px 8px; cursor: pointer; white-space: nowrap; }
    li.folder { color: #666; cursor: default; }
    li[aria-selected='true'] { background: #dbe7ff; }
    li:hover:not(.folder) { background: #eef3ff; }
    .name { flex: 1; overflow: hidden; text-overflow: ellipsis; }
    .tag { font-size: 11px; color: #7a5; }
    button { border: none; background: none; color: #999; cursor: pointer; visibility: hidden; padding: 0 2px; }
    li:hover button { visibility: visible; }
  `;

  constructor() {
    super();
    this.files = {};
    this.selected = '';
    this.locked = false;
  }

  override render() {
    return html`<ul role="tree">
      ${rowsOf(Object.keys(this.files)).map((row) =>
        row.folder
          ? html`<li class="folder" style="padding-left:${8 + row.depth * 12}px">▾ ${row.name}/</li>`
          : html`<li
              role="treeitem"
              data-path=${row.path}
              aria-selected=${row.path === this.selected}
              style="padding-left:${8 + row.depth * 12}px"
              @click=${() => this.#emit('select', row.path)}
            >
              <span class="name">${row.name}</span>
              ${this.files[row.path] === 'component' ? html`<span class="tag">component</span>` : ''}
              ${this.locked || row.path === 'spin.toml'
                ? ''
                : html`<button title="Delete ${row.path}" @click=${(e: Event) => (e.stopPropagation(), this.#emit('remove', row.path))}>✕</button>`}
            </li>`,
      )}
    </ul>`;
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
