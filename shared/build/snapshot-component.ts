/**
 * A component made from an earlier one of the same world and a new initialised state: its JS
 * engine module gets the new memory image and globals, every other byte stays. The engine's
 * code, the adapter, the shims and the component's types depend on the world alone, so the
 * result is the component a full build of the new source would give, without splicing,
 * stubbing WASI or wrapping a component again.
 */
import { TwirlError } from '../errors.ts';
import { jsEngineSection, replaceCoreModule } from '../wasm/component-sections.ts';
import { readLayout } from '../wasm/module-layout.ts';
import { writeSnapshotInto, type Snapshot } from './snapshot-module.ts';

export function componentWithState(reference: Uint8Array, state: Snapshot): Uint8Array {
  const section = jsEngineSection(reference);
  if (!section) throw new TwirlError('componentize-failed', 'the cached component for this world holds no JS engine module; build it again');
  const engine = reference.subarray(section.start, section.end);
  const layout = readLayout(engine);
  // Memory starts at the captured size exactly, as a full build's would, not at the reference's.
  const sized = { ...layout, memories: layout.memories.map((m, i) => (i === 0 ? { ...m, min: 0 } : m)) };
  return replaceCoreModule(reference, section, writeSnapshotInto(engine, sized, state, new Set()));
}
