/**
 * The editor's colours, light and dark: CodeMirror's default and One Dark highlighting, with the
 * few token colours that fall below WCAG's 4.5:1 contrast against their background replaced.
 */
import { HighlightStyle, defaultHighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { oneDarkHighlightStyle, oneDarkTheme } from '@codemirror/theme-one-dark';
import { EditorView } from '@codemirror/view';
import { Prec, type Extension } from '@codemirror/state';

/** `style` with each colour in `replace` swapped for a stronger one. */
function strengthened(style: HighlightStyle, replace: Record<string, string>): Extension {
  return syntaxHighlighting(HighlightStyle.define(style.specs.map((spec) => (typeof spec['color'] === 'string' && replace[spec['color']] ? { ...spec, color: replace[spec['color']] } : spec))));
}

export const lightColours: Extension = strengthened(defaultHighlightStyle, { '#e40': '#b8360a', '#f00': '#c4201a' });

export const darkColours: Extension = [
  oneDarkTheme,
  Prec.highest(EditorView.theme({ '.cm-gutters, .cm-gutterElement': { color: '#a0a8b8' } }, { dark: true })),
  strengthened(oneDarkHighlightStyle, { '#e06c75': '#f08c94', '#7d8799': '#a0a8b8' }),
];
