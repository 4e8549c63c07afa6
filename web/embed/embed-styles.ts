/** The embed's look: quiet, so it sits inside any docs page; dark when the reader's system is. */
import { css } from 'lit';
import { focusRing, themeTokens } from '../app/theme.ts';

export const embedStyles = [
  themeTokens,
  focusRing,
  css`
  :host { display: block; margin: 1em 0; font: 13px system-ui, sans-serif; color: var(--tw-fg); }
  .frame { border: 1px solid var(--tw-border); border-radius: 6px; overflow: hidden; background: var(--tw-bg); }
  .tabs { display: flex; flex-wrap: wrap; background: var(--tw-bar); border-bottom: 1px solid var(--tw-border); }
  .tabs button { border: none; background: none; color: inherit; padding: 6px 10px; font: 12px ui-monospace, monospace; cursor: pointer; border-bottom: 2px solid transparent; }
  .tabs button[aria-selected='true'] { border-bottom-color: var(--tw-accent); color: var(--tw-accent); }
  twirl-code-editor { max-height: 320px; overflow: auto; }
  .bar { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; padding: 6px 10px; border-top: 1px solid var(--tw-border); background: var(--tw-bar); }
  .run { padding: 3px 14px; border: 1px solid var(--tw-primary); border-radius: 4px; background: var(--tw-primary); color: var(--tw-on-primary); cursor: pointer; font: inherit; }
  .run:disabled { opacity: 0.6; }
  .note { margin: 0; padding: 6px 10px; background: var(--tw-note-bg); color: var(--tw-note-fg); }
  .problem { color: var(--tw-error); margin: 0; padding: 6px 10px; white-space: pre-wrap; overflow-wrap: anywhere; }
  .result { border-top: 1px solid var(--tw-border); padding: 6px 10px; }
  .result pre { margin: 4px 0; white-space: pre-wrap; word-break: break-all; font: 12px ui-monospace, monospace; background: var(--tw-code); padding: 6px; border-radius: 4px; }
  .result iframe { width: 100%; height: 200px; border: 1px solid var(--tw-border); border-radius: 4px; background: var(--tw-bg); box-sizing: border-box; }
  .ok { color: var(--tw-ok); }
  .bad { color: var(--tw-error); }
  .muted { color: var(--tw-muted); }
  .open { margin-left: auto; padding: 3px 10px; border: 1px solid var(--tw-border); border-radius: 4px; background: none; color: inherit; cursor: pointer; font: inherit; }
  .checks { list-style: none; margin: 4px 0; padding: 0; }
  .waiting { min-height: 6em; }
`,
];
