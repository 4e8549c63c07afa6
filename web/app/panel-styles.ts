/** Styles the playground's panels share. */
import { css } from 'lit';
import { focusRing } from './theme.ts';

export const panelStyles = [
  focusRing,
  css`
  :host { display: block; font: 13px system-ui, sans-serif; color: var(--tw-fg); overflow: auto; padding: 8px; box-sizing: border-box; }
  button { font: inherit; color: inherit; padding: 3px 10px; border: 1px solid var(--tw-control-border); border-radius: 4px; background: var(--tw-control); cursor: pointer; }
  button.primary { background: var(--tw-primary); border-color: var(--tw-primary); color: var(--tw-on-primary); }
  button:disabled { opacity: 0.5; cursor: default; }
  input, select, textarea { font: inherit; color: inherit; background: var(--tw-control); padding: 3px 6px; border: 1px solid var(--tw-control-border); border-radius: 4px; box-sizing: border-box; min-width: 0; }
  textarea, pre { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; }
  pre { margin: 0; white-space: pre-wrap; word-break: break-all; background: var(--tw-code); padding: 6px; border-radius: 4px; }
  a { color: var(--tw-accent); }
  .row { display: flex; gap: 6px; align-items: center; margin-bottom: 6px; }
  .muted { color: var(--tw-muted); }
  .error { color: var(--tw-error); }
  .status-2 { color: var(--tw-ok); }
  .status-3 { color: var(--tw-warning); }
  .status-4, .status-5 { color: var(--tw-error); }
`,
];

export const statusClass = (status: number): string => `status-${Math.floor(status / 100)}`;
