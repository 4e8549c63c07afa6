/** The right half: the running app, as a preview, a request builder, its logs and its key-value data. */
import { html } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import type { TwirlApp } from './twirl-app.ts';
import { declaredVariables } from './edit-checks.ts';
import { previewFailure } from './request-log.ts';

export type RunTab = 'preview' | 'request' | 'logs' | 'kv' | 'variables';

const TABS: Array<[RunTab, string]> = [
  ['preview', 'Preview'],
  ['request', 'Request'],
  ['logs', 'Logs'],
  ['kv', 'Key-value'],
  ['variables', 'Variables'],
];

export function renderRunPane(host: TwirlApp) {
  const connection = host.session?.connection;
  const count = host.log.entries.length;
  return html`<section class="run" aria-label="Run">
    <div class="tabs" role="tablist">
      ${TABS.map(
        ([tab, label]) => html`<button role="tab" data-tab=${tab} aria-selected=${host.tab === tab} @click=${() => host.show(tab)}>
          ${label}${tab === 'logs' && count ? html` <span class="count">${count}</span>` : ''}
        </button>`,
      )}
    </div>
    <twirl-preview-pane
      ?hidden=${host.tab !== 'preview'}
      .origin=${host.previewOrigin}
      .revision=${host.revision}
      .failure=${previewFailure(host.log)}
      @logs=${() => host.show('logs')}
      @variables=${() => host.show('variables')}
    ></twirl-preview-pane>
    ${keyed(
      host.app?.id,
      // Keyed by app: another app starts with an empty form, never the previous app's response.
      html`<twirl-request-builder
        ?hidden=${host.tab !== 'request'}
        .send=${connection ? (r: Parameters<typeof connection.send>[0]) => connection.send(r) : undefined}
        .preview=${connection}
        .appId=${host.app?.id ?? ''}
      ></twirl-request-builder>`,
    )}
    <twirl-logs-panel ?hidden=${host.tab !== 'logs'} .log=${host.log} .version=${host.logVersion}></twirl-logs-panel>
    <twirl-kv-inspector ?hidden=${host.tab !== 'kv'} .access=${connection}></twirl-kv-inspector>
    ${host.tab === 'variables'
      ? html`<twirl-variables-editor
          .declared=${host.app ? declaredVariables(host.app) : {}}
          .values=${host.app?.variables ?? {}}
          @change=${(e: CustomEvent<Record<string, string>>) => host.setVariables(e.detail)}
        ></twirl-variables-editor>`
      : ''}
  </section>`;
}
