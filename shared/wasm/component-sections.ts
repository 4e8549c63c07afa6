/**
 * The top level of a component binary, read only as far as its embedded core modules: enough to
 * find the JS engine module inside a component and to put another in its place.
 */
import { ByteReader, ByteWriter, COMPONENT_PREAMBLE, isComponent, type Section } from './bytes.ts';
import { ExternKind, readLayout } from './module-layout.ts';

/** Section id of an embedded core module in a component. */
const CORE_MODULE_SECTION = 1;
/** StarlingMonkey's componentize runtime exports this (its pre-initialisation check). */
const starlingMonkeyExport = 'check_init';

/** The component's top-level sections holding core modules, in order. */
export function coreModuleSections(bytes: Uint8Array): Section[] {
  if (!isComponent(bytes)) throw new Error('not a WebAssembly component');
  const out: Section[] = [];
  const r = new ByteReader(bytes, COMPONENT_PREAMBLE.length);
  while (r.at < bytes.length) {
    const headerStart = r.at;
    const id = r.byte();
    const size = r.u32();
    if (r.at + size > bytes.length) throw new RangeError('a section runs past the end of the component');
    if (id === CORE_MODULE_SECTION) out.push({ id, headerStart, start: r.at, end: r.at + size });
    r.at += size;
  }
  return out;
}

/** The one top-level core module that is a componentize-js (StarlingMonkey) engine, if there is exactly one. */
export function jsEngineSection(bytes: Uint8Array): Section | undefined {
  const engines = coreModuleSections(bytes).filter((s) => {
    try {
      return readLayout(bytes.subarray(s.start, s.end)).exports.some((e) => e.name === starlingMonkeyExport && e.kind === ExternKind.func);
    } catch {
      return false;
    }
  });
  return engines.length === 1 ? engines[0] : undefined;
}

/** The component with the core module in `section` replaced by `module`; every other byte is copied. */
export function replaceCoreModule(bytes: Uint8Array, section: Section, module: Uint8Array | ByteWriter): Uint8Array {
  const out = new ByteWriter().bytes(bytes.subarray(0, section.headerStart)).byte(CORE_MODULE_SECTION).u32(module.length);
  return (module instanceof ByteWriter ? out.append(module) : out.bytes(module)).bytes(bytes.subarray(section.end)).finish();
}
