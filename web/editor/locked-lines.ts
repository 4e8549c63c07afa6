/**
 * Read-only regions of an otherwise editable file: the lines a docs author locks stay as they
 * are (edits touching them are dropped) and are shaded; the regions move with edits around them.
 */
import { EditorState, RangeSet, StateField, type Extension, type Range } from '@codemirror/state';
import { Decoration, EditorView, type DecorationSet } from '@codemirror/view';

/** Inclusive 1-based line ranges. */
export type LineRange = readonly [first: number, last: number];

const lockedLine = Decoration.line({ class: 'tw-locked', attributes: { title: 'Read-only' } });

export function lockedLines(ranges: readonly LineRange[]): Extension {
  if (ranges.length === 0) return [];
  const regions = StateField.define<Array<[number, number]>>({
    create: (state) =>
      ranges.flatMap(([first, last]) => {
        const lines = state.doc.lines;
        if (first > lines) return [];
        return [[state.doc.line(Math.max(first, 1)).from, state.doc.line(Math.min(last, lines)).to] as [number, number]];
      }),
    update: (value, tr) => (tr.docChanged ? value.map(([from, to]) => [tr.changes.mapPos(from, 1), tr.changes.mapPos(to, -1)]) : value),
  });
  const shading = StateField.define<DecorationSet>({
    create: (state) => shade(state, state.field(regions)),
    update: (value, tr) => (tr.docChanged ? shade(tr.state, tr.state.field(regions)) : value),
    provide: (field) => EditorView.decorations.from(field),
  });
  return [
    regions,
    shading,
    EditorState.changeFilter.of((tr) => (tr.docChanged ? tr.startState.field(regions).flat() : true)),
    EditorView.baseTheme({ '.tw-locked': { backgroundColor: 'rgba(127, 127, 127, 0.12)' } }),
  ];
}

function shade(state: EditorState, regions: ReadonlyArray<[number, number]>): DecorationSet {
  const marks: Range<Decoration>[] = [];
  for (const [from, to] of regions) {
    for (let n = state.doc.lineAt(from).number; n <= state.doc.lineAt(to).number; n++) marks.push(lockedLine.range(state.doc.line(n).from));
  }
  return RangeSet.of(marks, true);
}
