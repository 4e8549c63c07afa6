/** The playground's header: apps, templates, Run, Share, opening and uploading files. */
import { html } from 'lit';
import type { TwirlApp } from './twirl-app.ts';
import { describeBuild } from './build-action.ts';
import { downloadCurrent } from './download-action.ts';
import { shareCurrent } from './share-action.ts';
import { openArchive, uploadFiles } from './upload-action.ts';
import './lesson-menu.ts';

export function renderToolbar(host: TwirlApp) {
  const app = host.app;
  return html`<header>
      <h1>Twirl</h1>
      <select
        aria-label="App"
        @change=${(e: Event) => {
          const chosen = host.apps.find((a) => a.id === (e.target as HTMLSelectElement).value);
          if (chosen) void host.open(chosen);
        }}
      >
        ${host.apps.map((a) => html`<option value=${a.id} ?selected=${a.id === app?.id}>${a.name} · ${a.id.slice(0, 6)}</option>`)}
      </select>
      <select
        aria-label="New from template"
        @change=${(e: Event) => {
          const select = e.target as HTMLSelectElement;
          if (select.value) void host.newFromTemplate(select.value);
          select.value = '';
        }}
      >
        <option value="">New from template…</option>
        ${host.templates.map((t) => html`<option value=${t.name} title=${t.description}>${t.name}</option>`)}
      </select>
      <twirl-lesson-menu></twirl-lesson-menu>
      <button class="primary" @click=${() => host.run()} ?disabled=${!app || host.building !== undefined}>${host.building ? 'Building…' : 'Run'}</button>
      ${host.building ? html`<span class="build-status" role="status" aria-label="Build progress">${describeBuild(host.building)}</span>` : ''}
      <span class="spacer"></span>
      <label class="button" title="Add files; a .wasm component is wired into spin.toml">
        Upload<input type="file" multiple @change=${(e: Event) => uploadFiles(host, e.target as HTMLInputElement)} />
      </label>
      <label class="button" title="Open an app from a .zip">
        Open zip<input type="file" accept=".zip,application/zip" @change=${(e: Event) => openArchive(host, e.target as HTMLInputElement)} />
      </label>
      <label class="button" title="Open an app folder">
        Open folder<input type="file" webkitdirectory @change=${(e: Event) => openArchive(host, e.target as HTMLInputElement)} />
      </label>
      <button @click=${() => shareCurrent(host)} ?disabled=${!app}>Share</button>
      <button @click=${() => downloadCurrent(host)} ?disabled=${!app} title="Download the app as a .zip (what twirl up -f takes)">Download</button>
      <button @click=${() => host.deleteCurrent()} ?disabled=${!app} title="Delete this app">Delete</button>
      <button aria-pressed=${host.dark} title="Dark colours (remembered on this device)" @click=${() => host.toggleTheme()}>Dark</button>
    </header>
    ${host.shareLink
      ? html`<div class="share">
          Share link
          <input aria-label="Share link" readonly .value=${host.shareLink} @focus=${(e: Event) => (e.target as HTMLInputElement).select()} />
          <button @click=${() => navigator.clipboard.writeText(host.shareLink)}>Copy</button>
          <button aria-label="Close" @click=${() => (host.shareLink = '')}>✕</button>
        </div>`
      : ''}`;
}
