/** The playground's layout. */
import { css } from 'lit';

export const playgroundStyles = css`
  :host { display: flex; flex-direction: column; height: 100vh; font: 13px system-ui, sans-serif; color: #222; }
  header { display: flex; gap: 8px; align-items: center; padding: 6px 10px; border-bottom: 1px solid #ddd; background: #fafafa; flex-wrap: wrap; }
  header h1 { font-size: 15px; margin: 0 8px 0 0; }
  header .spacer { flex: 1; }
  button, select, input { font: inherit; }
  button { padding: 3px 10px; border: 1px solid #bbb; border-radius: 4px; background: white; cursor: pointer; }
  button.primary { background: #3557d6; border-color: #3557d6; color: white; }
  button:disabled { opacity: 0.6; cursor: default; }
  .build-status { color: #555; font-size: 12px; }
  label.button { padding: 3px 10px; border: 1px solid #bbb; border-radius: 4px; background: white; cursor: pointer; }
  label.button input { display: none; }
  .banner { display: flex; gap: 8px; align-items: flex-start; padding: 6px 10px; white-space: pre-wrap; }
  .banner button { margin-left: auto; border: none; background: none; }
  .problem { background: #fde7e9; color: #8a1020; }
  .notice { background: #e8f0fe; color: #1a3d8f; }
  .share { display: flex; gap: 6px; align-items: center; padding: 6px 10px; background: #eef7ee; }
  .share input { flex: 1; font-family: ui-monospace, monospace; font-size: 12px; }
  main { flex: 1; display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); min-height: 0; }
  .files { display: grid; grid-template-columns: 220px minmax(0, 1fr); grid-template-rows: auto minmax(0, 1fr) auto; border-right: 1px solid #ddd; min-height: 0; }
  .files .tree-actions { grid-column: 1; display: flex; gap: 4px; padding: 6px; border-bottom: 1px solid #eee; border-right: 1px solid #eee; }
  .files .file-title { grid-column: 2; padding: 6px 10px; border-bottom: 1px solid #eee; font-family: ui-monospace, monospace; }
  twirl-file-tree { grid-column: 1; grid-row: 2 / 4; border-right: 1px solid #eee; }
  twirl-code-editor { grid-column: 2; grid-row: 2; }
  .files .component-info { grid-column: 2; grid-row: 2; padding: 12px; }
  .diagnostics { grid-column: 2; grid-row: 3; max-height: 120px; overflow: auto; border-top: 1px solid #eee; }
  .diagnostics button { display: block; width: 100%; text-align: left; border: none; border-radius: 0; padding: 4px 10px; font-family: ui-monospace, monospace; font-size: 12px; }
  .diagnostics .error { color: #b00020; }
  .diagnostics .warning { color: #9a6700; }
  .edited { grid-column: 2; grid-row: 3; padding: 6px 10px; background: #fff8e1; color: #6b4e00; border-top: 1px solid #eee; }
  .run { display: flex; flex-direction: column; min-height: 0; }
  .tabs { display: flex; border-bottom: 1px solid #ddd; }
  .tabs button { border: none; border-radius: 0; border-bottom: 2px solid transparent; background: none; padding: 6px 12px; }
  .tabs button[aria-selected='true'] { border-bottom-color: #3557d6; color: #3557d6; }
  .tabs .count { color: #888; font-size: 11px; }
  .run > :not(.tabs) { flex: 1; min-height: 0; }
  [hidden] { display: none !important; }
`;
