/** The embed's look: quiet, so it sits inside any docs page. */
import { css } from 'lit';

export const embedStyles = css`
  :host { display: block; margin: 1em 0; font: 13px system-ui, sans-serif; color: #222; }
  .frame { border: 1px solid #d0d7de; border-radius: 6px; overflow: hidden; background: white; }
  .tabs { display: flex; flex-wrap: wrap; background: #f6f8fa; border-bottom: 1px solid #d0d7de; }
  .tabs button { border: none; background: none; padding: 6px 10px; font: 12px ui-monospace, monospace; cursor: pointer; border-bottom: 2px solid transparent; }
  .tabs button[aria-selected='true'] { border-bottom-color: #3557d6; color: #3557d6; }
  twirl-code-editor { max-height: 320px; overflow: auto; }
  .bar { display: flex; gap: 8px; align-items: center; padding: 6px 10px; border-top: 1px solid #d0d7de; background: #f6f8fa; }
  .run { padding: 3px 14px; border: 1px solid #3557d6; border-radius: 4px; background: #3557d6; color: white; cursor: pointer; font: inherit; }
  .run:disabled { opacity: 0.6; }
  .note { margin: 0; padding: 6px 10px; background: #fff8e1; color: #6b4e00; }
  .problem { color: #b00020; margin: 0; padding: 6px 10px; white-space: pre-wrap; }
  .result { border-top: 1px solid #d0d7de; padding: 6px 10px; }
  .result pre { margin: 4px 0; white-space: pre-wrap; word-break: break-all; font: 12px ui-monospace, monospace; background: #f6f8fa; padding: 6px; border-radius: 4px; }
  .result iframe { width: 100%; height: 200px; border: 1px solid #d0d7de; border-radius: 4px; }
  .ok { color: #1a7f37; }
  .bad { color: #b00020; }
  .muted { color: #777; }
`;
