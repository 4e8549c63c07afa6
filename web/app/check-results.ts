/** A list of checks with their verdicts: pass or fail, and for each expectation what was expected and what came. */
import { css, html } from 'lit';
import type { Check, CheckResult } from '../../shared/checks/check.ts';

export const checkResultStyles = css`
  ol.checks { list-style: none; padding: 0; margin: 8px 0; display: grid; gap: 6px; }
  .check { border: 1px solid var(--tw-rule); border-left-width: 4px; border-radius: 4px; padding: 4px 8px; }
  .check.pass { border-left-color: var(--tw-ok); }
  .check.fail { border-left-color: var(--tw-error); }
  .check .verdict { font-weight: 600; margin-right: 4px; }
  .check.pass .verdict { color: var(--tw-ok); }
  .check.fail .verdict { color: var(--tw-error); }
  .check .request { color: var(--tw-muted); font-family: ui-monospace, monospace; font-size: 12px; }
  .check table { border-collapse: collapse; width: 100%; margin-top: 4px; font-size: 12px; }
  .check th, .check td { text-align: left; vertical-align: top; padding: 2px 4px; border-top: 1px solid var(--tw-rule); }
  .check td.text { font-family: ui-monospace, monospace; white-space: pre-wrap; word-break: break-word; }
  .check tr.ok td:first-child::before { content: '✓ '; color: var(--tw-ok); }
  .check tr.wrong td:first-child::before { content: '✗ '; color: var(--tw-error); }
`;

/** `results[i]` is the verdict of `checks[i]`, or undefined when it has not run; `action` adds controls to each. */
export function renderCheckResults(checks: readonly Check[], results: ReadonlyArray<CheckResult | undefined>, action?: (index: number) => unknown) {
  return html`<ol class="checks" aria-label="Checks">
    ${checks.map((check, i) => {
      const result = results[i];
      const state = result ? (result.pass ? 'pass' : 'fail') : 'pending';
      return html`<li class="check ${state}" data-state=${state}>
        <span class="verdict">${result ? (result.pass ? '✓ Pass' : '✗ Fail') : '○'}</span>
        <span class="name">${check.name}</span>
        ${action?.(i) ?? ''}
        ${check.name === `${check.request.method} ${check.request.path}` ? '' : html`<div class="request">${check.request.method} ${check.request.path}</div>`}
        ${result?.error ? html`<p class="error">${result.error}</p>` : ''}
        ${result && !result.pass && result.outcomes.length
          ? html`<table>
              <thead><tr><th>Checked</th><th>Expected</th><th>Received</th></tr></thead>
              <tbody>
                ${result.outcomes.map(
                  (o) => html`<tr class=${o.pass ? 'ok' : 'wrong'}>
                    <td>${o.subject}</td>
                    <td class="text">${o.expected}</td>
                    <td class="text">${o.received}</td>
                  </tr>`,
                )}
              </tbody>
            </table>`
          : ''}
      </li>`;
    })}
  </ol>`;
}
