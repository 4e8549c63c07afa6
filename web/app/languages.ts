/** The editor's syntax highlighting, chosen by file extension. */
import type { Extension } from '@codemirror/state';
import { StreamLanguage } from '@codemirror/language';
import { javascript } from '@codemirror/lang-javascript';
import { json } from '@codemirror/lang-json';
import { html } from '@codemirror/lang-html';
import { toml } from '@codemirror/legacy-modes/mode/toml';
import { css } from '@codemirror/legacy-modes/mode/css';

export function languageFor(path: string): Extension {
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  switch (ext) {
    case 'toml':
      return StreamLanguage.define(toml);
    case 'js':
    case 'mjs':
    case 'cjs':
      return javascript();
    case 'jsx':
      return javascript({ jsx: true });
    case 'ts':
    case 'mts':
      return javascript({ typescript: true });
    case 'tsx':
      return javascript({ typescript: true, jsx: true });
    case 'json':
      return json();
    case 'html':
    case 'htm':
      return html();
    case 'css':
      return StreamLanguage.define(css);
    default:
      return [];
  }
}
