/** The left half: file tree, the selected file's editor, its manifest or build problems or an edited-source note. */
import { html } from 'lit';
import { MANIFEST, type StoredApp } from '../app-model.ts';
import { lineDiagnosticsOf, type CodeEditor } from './code-editor.ts';
import { isScript } from '../editor/typescript-project.ts';
import type { TwirlApp } from './twirl-app.ts';

export function renderFilePane(host: TwirlApp) {
  const file = host.app?.files[host.selected];
  const isManifest = host.selected === MANIFEST;
  const problems = isManifest ? host.diagnostics : lineDiagnosticsOf(host.buildDiagnostics, host.selected);
  return html`<section class="files" aria-label="Files">
    <div class="tree-actions">
      <button @click=${() => addFile(host)} title="New file">+ File</button>
      ${isScript(host.selected)
        ? html`<button @click=${() => void host.renderRoot.querySelector<CodeEditor>('twirl-code-editor')?.format()} title="Format document (Shift-Alt-F)">Format</button>`
        : ''}
    </div>
    <div class="file-title" aria-live="polite">${host.selected}</div>
    <twirl-file-tree
      .files=${host.fileKinds()}
      .selected=${host.selected}
      @select=${(e: CustomEvent<string>) => host.select(e.detail)}
      @remove=${(e: CustomEvent<string>) => removeFile(host, e.detail)}
    ></twirl-file-tree>
    ${!file || 'text' in file
      ? html`<twirl-code-editor
          .path=${host.selected}
          .value=${file && 'text' in file ? file.text : ''}
          .diagnostics=${problems}
          .files=${textFiles(host.app)}
          .dark=${host.dark}
          @change=${(e: CustomEvent<string>) => host.setFile(host.selected, { text: e.detail })}
          @save=${() => host.run()}
        ></twirl-code-editor>`
      : html`<div class="component-info">${'component' in file
          ? html`<p><strong>WebAssembly component</strong> (${file.component.kind})</p>
              <p>sha-256 <code>${file.component.digest}</code></p>
              <p>${file.component.url ? 'Built from this app’s sources when the playground was built.' : file.component.builtHere ? 'Built from this app’s sources in this browser.' : 'Uploaded; transpiled with jco in this browser.'}</p>`
          : html`<p>Binary file (${Math.round((file.base64.length * 3) / 4)} bytes).</p>`}</div>`}
    ${problems.length
      ? html`<div class="diagnostics" role="list" aria-label=${isManifest ? 'Manifest problems' : 'Build problems'}>
          ${problems.map(
            (d) => html`<button role="listitem" class=${d.severity} @click=${() => host.renderRoot.querySelector<CodeEditor>('twirl-code-editor')?.revealLine(d.line)}>
              ${host.selected}:${d.line}${d.column ? `:${d.column}` : ''}: ${d.severity}: ${d.message}
            </button>`,
          )}
        </div>`
      : host.edited.includes(host.selected)
        ? html`<div class="edited" role="note">
            ${host.selected} has changed since its component was built: Run (or ${navigator.platform.startsWith('Mac') ? '⌘' : 'Ctrl'}-S) builds it again, here
            in the browser.
          </div>`
        : ''}
  </section>`;
}

/** The app's text files by path, as the editor's type checks read them. */
export function textFiles(app: StoredApp | undefined): Record<string, string> {
  const texts: Record<string, string> = {};
  for (const [path, file] of Object.entries(app?.files ?? {})) if ('text' in file) texts[path] = file.text;
  return texts;
}

function addFile(host: TwirlApp): void {
  const path = prompt('New file path (e.g. src/util.js or assets/index.html)')?.trim().replace(/^\.?\//, '');
  if (!path) return;
  if (!host.app?.files[path]) host.setFile(path, { text: '' });
  host.select(path);
}

function removeFile(host: TwirlApp, path: string): void {
  if (!confirm(`Delete ${path}?`)) return;
  host.setFile(path, undefined);
  if (host.selected === path) host.select(MANIFEST);
}

/** Opens `at.source` in the editor with the cursor on its line (a log line's or a build error's position). */
export async function revealSource(host: TwirlApp, at: { source: string; line: number }): Promise<void> {
  if (!host.app?.files[at.source]) return;
  host.select(at.source);
  await host.updateComplete;
  const editor = host.renderRoot.querySelector<CodeEditor>('twirl-code-editor');
  await editor?.updateComplete;
  editor?.revealLine(at.line);
}
