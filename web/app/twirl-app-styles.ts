/** The playground's layout: two halves side by side, stacked on narrow screens (phones). */
import { css } from 'lit';
import { focusRing, themeTokens } from './theme.ts';

export const playgroundStyles = [
  themeTokens,
  focusRing,
  css`
  :host { display: flex; flex-direction: column; height: 100vh; font: 13px system-ui, sans-serif; color: var(--tw-fg); background: var(--tw-bg); }
  header { display: flex; gap: 8px; align-items: center; padding: 6px 10px; border-bottom: 1px solid var(--tw-border); background: var(--tw-bar); flex-wrap: wrap; }
  header h1 { font-size: 15px; margin: 0 8px 0 0; }
  header .spacer { flex: 1; }
  header select { max-width: 100%; }
  button, select, input { font: inherit; color: inherit; }
  select, input { background: var(--tw-control); border: 1px solid var(--tw-control-border); border-radius: 4px; }
  button { padding: 3px 10px; border: 1px solid var(--tw-control-border); border-radius: 4px; background: var(--tw-control); cursor: pointer; }
  button.primary { background: var(--tw-primary); border-color: var(--tw-primary); color: var(--tw-on-primary); }
  button:disabled { opacity: 0.6; cursor: default; }
  button[aria-pressed='true'] { background: var(--tw-selected); }
  .build-status { color: var(--tw-muted); font-size: 12px; }
  label.button { position: relative; padding: 3px 10px; border: 1px solid var(--tw-control-border); border-radius: 4px; background: var(--tw-control); cursor: pointer; }
  /* Visually hidden, still reached by Tab; the label shows its focus. */
  label.button input { position: absolute; width: 1px; height: 1px; opacity: 0; overflow: hidden; clip-path: inset(50%); }
  label.button:focus-within { outline: 2px solid var(--tw-focus); outline-offset: 1px; }
  .banner { display: flex; gap: 8px; align-items: flex-start; padding: 6px 10px; white-space: pre-wrap; }
  .banner button { margin-left: auto; border: none; background: none; }
  .problem { background: var(--tw-problem-bg); color: var(--tw-problem-fg); }
  .notice { background: var(--tw-notice-bg); color: var(--tw-notice-fg); }
  .share { display: flex; gap: 6px; align-items: center; padding: 6px 10px; background: var(--tw-share-bg); }
  .share input { flex: 1; min-width: 0; font-family: ui-monospace, monospace; font-size: 12px; }
  main { flex: 1; display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); min-height: 0; }
  main.with-lesson { grid-template-columns: minmax(260px, 0.8fr) minmax(0, 1.2fr) minmax(0, 1fr); }
  .files { display: grid; grid-template-columns: 220px minmax(0, 1fr); grid-template-rows: auto minmax(0, 1fr) auto; border-right: 1px solid var(--tw-border); min-height: 0; }
  .files .tree-actions { grid-column: 1; display: flex; gap: 4px; padding: 6px; border-bottom: 1px solid var(--tw-rule); border-right: 1px solid var(--tw-rule); }
  .files .file-title { grid-column: 2; padding: 6px 10px; border-bottom: 1px solid var(--tw-rule); font-family: ui-monospace, monospace; overflow-wrap: anywhere; }
  twirl-file-tree { grid-column: 1; grid-row: 2 / 4; border-right: 1px solid var(--tw-rule); }
  twirl-code-editor { grid-column: 2; grid-row: 2; }
  .files .component-info { grid-column: 2; grid-row: 2; padding: 12px; overflow-wrap: anywhere; }
  .diagnostics { grid-column: 2; grid-row: 3; max-height: 120px; overflow: auto; border-top: 1px solid var(--tw-rule); }
  .diagnostics button { display: block; width: 100%; text-align: left; border: none; border-radius: 0; padding: 4px 10px; font-family: ui-monospace, monospace; font-size: 12px; }
  .diagnostics .error { color: var(--tw-error); }
  .diagnostics .warning { color: var(--tw-warning); }
  .edited { grid-column: 2; grid-row: 3; padding: 6px 10px; background: var(--tw-note-bg); color: var(--tw-note-fg); border-top: 1px solid var(--tw-rule); }
  .run { display: flex; flex-direction: column; min-height: 0; }
  .tabs { display: flex; flex-wrap: wrap; border-bottom: 1px solid var(--tw-border); }
  .tabs button { border: none; border-radius: 0; border-bottom: 2px solid transparent; background: none; padding: 6px 12px; }
  .tabs button[aria-selected='true'] { border-bottom-color: var(--tw-accent); color: var(--tw-accent); }
  .tabs .count { color: var(--tw-muted); font-size: 11px; }
  .run > :not(.tabs) { flex: 1; min-height: 0; }
  [hidden] { display: none !important; }

  /* Phones: one column that scrolls down the page: files, the editor, then the running app. */
  @media (max-width: 720px) {
    :host { height: auto; min-height: 100vh; }
    main, main.with-lesson { grid-template-columns: minmax(0, 1fr); }
    .files { grid-template-columns: minmax(0, 1fr); grid-template-rows: none; border-right: none; border-bottom: 1px solid var(--tw-border); }
    .files > * { grid-column: 1 !important; grid-row: auto !important; }
    .files .tree-actions { border-right: none; }
    twirl-file-tree { order: 1; max-height: 30vh; border-right: none; border-bottom: 1px solid var(--tw-rule); }
    .files .file-title { order: 2; }
    .files > twirl-code-editor, .files .component-info, .files .diagnostics, .files .edited { order: 3; }
    twirl-code-editor { height: 55vh; }
    .files .component-info { min-height: 20vh; }
    .run { min-height: 80vh; }
  }
`,
];
