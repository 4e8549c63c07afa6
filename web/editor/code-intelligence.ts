/**
 * What the editor knows of JS/TS code, from the language worker: type and syntax errors as you
 * type (CodeMirror lint), completions, the type under the pointer, and Format document
 * (Shift-Alt-F). `files` gives the app's other text files, which the open one may import.
 */
import { autocompletion, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { linter, type Diagnostic } from '@codemirror/lint';
import { StateEffect, type Extension } from '@codemirror/state';
import { EditorView, hoverTooltip, keymap } from '@codemirror/view';
import { askLanguageService } from './language-client.ts';
import { isScript } from './typescript-project.ts';

export type AppTexts = () => Record<string, string>;

const relintEffect = StateEffect.define<null>();
/** Runs the lint pass again, as for an edit: the diagnostics shown beside TypeScript's changed. */
export const relint = (view: EditorView): void => view.dispatch({ effects: relintEffect.of(null) });

/** The app's files as the worker should see them: `path` as the editor holds it now. */
const filesWith = (files: AppTexts, path: string, view: EditorView): Record<string, string> => ({ ...files(), [path]: view.state.doc.toString() });

/** CodeMirror's icon names for TypeScript's kinds of names. */
const KIND: Record<string, string> = {
  property: 'property',
  method: 'method',
  function: 'function',
  'local function': 'function',
  const: 'constant',
  let: 'variable',
  var: 'variable',
  'local var': 'variable',
  parameter: 'variable',
  class: 'class',
  interface: 'interface',
  type: 'type',
  enum: 'enum',
  module: 'namespace',
  keyword: 'keyword',
};

/**
 * For a JS/TS file: the extensions above. `others` are diagnostics the editor shows beside
 * TypeScript's (a build's), which the lint pass keeps.
 */
export function codeIntelligence(path: string, files: AppTexts, others: (view: EditorView) => Diagnostic[]): Extension {
  if (!isScript(path)) return [];
  const complete = async (context: CompletionContext): Promise<CompletionResult | null> => {
    const before = context.matchBefore(/[\w$]*$/);
    const afterDot = /\.\s*[\w$]*$/.test(context.state.sliceDoc(Math.max(0, context.pos - 64), context.pos));
    if (!context.explicit && !afterDot && !before?.text) return null;
    const view = context.view;
    if (!view) return null;
    const list = await askLanguageService(filesWith(files, path, view), { kind: 'completions', path, position: context.pos });
    if (!list || context.aborted) return null;
    return {
      from: list.from,
      options: list.options.map((o) => ({ label: o.label, type: KIND[o.type] ?? o.type, boost: -Number.parseInt(o.sortText, 10) || 0, ...(o.apply ? { apply: o.apply } : {}) })),
      validFor: /^[\w$]*$/,
    };
  };
  return [
    linter(
      async (view): Promise<Diagnostic[]> => {
        const found = await askLanguageService(filesWith(files, path, view), { kind: 'diagnostics', path }).catch(() => []);
        const end = view.state.doc.length;
        const typescript = found.map((d): Diagnostic => ({ from: Math.min(d.from, end), to: Math.min(Math.max(d.to, d.from), end), severity: d.severity, message: d.message, source: 'TypeScript' }));
        return [...others(view), ...typescript];
      },
      { delay: 300, needsRefresh: (update) => update.transactions.some((t) => t.effects.some((e) => e.is(relintEffect))) },
    ),
    autocompletion({ override: [complete] }),
    hoverTooltip(async (view, position) => {
      const text = await askLanguageService(filesWith(files, path, view), { kind: 'quick-info', path, position }).catch(() => undefined);
      if (!text) return null;
      return {
        pos: position,
        create: () => {
          const dom = document.createElement('pre');
          dom.className = 'tw-quick-info';
          dom.textContent = text;
          return { dom };
        },
      };
    }),
    keymap.of([{ key: 'Shift-Alt-f', run: (view) => (void formatDocument(view, path, files), true) }]),
  ];
}

/** Formats the editor's text with TypeScript's formatter, as one undoable change. */
export async function formatDocument(view: EditorView, path: string, files: AppTexts): Promise<void> {
  const before = view.state.doc;
  const edits = await askLanguageService(filesWith(files, path, view), { kind: 'format', path });
  // Typing meanwhile moved the offsets the edits were made for.
  if (view.state.doc !== before || edits.length === 0) return;
  view.dispatch({ changes: edits.map((e) => ({ from: e.from, to: e.to, insert: e.insert })), userEvent: 'format' });
}
