/** Styles the playground's panels share. */
import { css } from 'lit';

export const panelStyles = css`
  :host { display: block; font: 13px system-ui, sans-serif; color: #222; overflow: auto; padding: 8px; box-sizing: border-box; }
  button { font: inherit; padding: 3px 10px; border: 1px solid #bbb; border-radius: 4px; background: #f7f7f7; cursor: pointer; }
  button.primary { background: #3557d6; border-color: #3557d6; color: white; }
  button:disabled { opacity: 0.5; cursor: default; }
  input, select, textarea { font: inherit; padding: 3px 6px; border: 1px solid #bbb; border-radius: 4px; box-sizing: border-box; }
  textarea, pre { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; }
  pre { margin: 0; white-space: pre-wrap; word-break: break-all; background: #f6f6f6; padding: 6px; border-radius: 4px; }
  .row { display: flex; gap: 6px; align-items: center; margin-bottom: 6px; }
  .muted { color: #777; }
  .error { color: #b00020; }
  .status-2 { color: #1a7f37; }
  .status-3 { color: #9a6700; }
  .status-4, .status-5 { color: #b00020; }
`;

export const statusClass = (status: number): string => `status-${Math.floor(status / 100)}`;
