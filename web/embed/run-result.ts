/** What the embed shows after Run: status, timing, the body (HTML rendered in a sandboxed frame) and the logs. */
import { html } from 'lit';
import type { LogLine } from '../../shared/ports.ts';
import type { CheckResult } from './embed-options.ts';

export interface RunResult {
  status: number;
  headers: Array<[string, string]>;
  body: Uint8Array;
  ms: number;
  logs: LogLine[];
}

export function renderResult(r: RunResult, checks: readonly CheckResult[] = []) {
  const type = r.headers.find(([k]) => k === 'content-type')?.[1] ?? '';
  const text = new TextDecoder().decode(r.body);
  return html`<section class="result" aria-label="Result">
    <strong class=${r.status < 400 ? 'ok' : 'bad'}>${r.status}</strong>
    <span class="muted">${r.ms.toFixed(1)} ms${type ? ` · ${type}` : ''}</span>
    ${checks.length
      ? html`<ul class="checks" aria-label="Checks">
          ${checks.map((c) => html`<li class=${c.pass ? 'ok' : 'bad'} data-pass=${c.pass}>${c.pass ? '✓' : '✗'} ${c.label}${c.pass ? '' : html` <span class="muted">(got ${c.seen})</span>`}</li>`)}
        </ul>`
      : ''}
    ${type.startsWith('text/html')
      ? html`<iframe title="Response" sandbox="" srcdoc=${text}></iframe>`
      : html`<pre class="body">${text}</pre>`}
    ${r.logs.length ? html`<pre class="logs">${r.logs.map((l) => `[${l.component}] ${l.line}`).join('\n')}</pre>` : ''}
  </section>`;
}
