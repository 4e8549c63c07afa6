/**
 * CPU budget by instrumentation: every loop iteration spends one unit of a fuel global. A
 * component that runs out calls the host (`twirl:fuel#checkpoint`), which either gives it more
 * (a slice of the request's budget), stops it (it traps), or has it yield its turn first. A
 * runaway loop then fails its own request in any host, even one (a browser, Node) that cannot
 * interrupt running Wasm from outside, and a host with JSPI can let other work run meanwhile.
 * The same pass gives the module its wait points (wait-points.ts), as both add imports.
 */
import { ByteReader, ByteWriter, SectionId, rebuildModule, sectionReader } from '../wasm/bytes.ts';
import { ExternKind, ValueType, readLayout } from '../wasm/module-layout.ts';
import { addExports } from './rewrite-module.ts';
import { countFunctionImports, importsWith, shiftElements, shiftExports, shiftFunction, shiftGlobals, shiftNames, shiftStart, typesWith, type FunctionShift } from '../wasm/function-imports.ts';
import { readInstruction, skipValueType, type Instruction } from '../wasm/instructions.ts';
import { waitImports, waitPointBody, waitingImports, type WaitFunctions } from './wait-points.ts';

export const fuelExport = 'twirl-fuel';

/** `if (fuel == 0) refuel(); fuel -= 1` */
function spend(fuel: number, refuel: number): Uint8Array {
  const get = new ByteWriter().byte(0x23).u32(fuel).finish().slice();
  return new ByteWriter().bytes(get).bytes(new Uint8Array([0x50, 0x04, 0x40, 0x10])).u32(refuel).byte(0x0b).bytes(get).bytes(new Uint8Array([0x42, 0x01, 0x7d, 0x24])).u32(fuel).finish().slice();
}

/**
 * `refuel`: asks the host for more (`checkpoint`), traps when it answers 1, and when it answers
 * 2 lets it suspend the guest (`yield`) so that other work on the thread gets a turn.
 */
function refuelBody(checkpoint: number, yieldTo: number): Uint8Array {
  const body = new ByteWriter()
    .bytes(new Uint8Array([0x01, 0x01, 0x7f])) // one i32 local
    .byte(0x10).u32(checkpoint)
    .bytes(new Uint8Array([0x22, 0x00, 0x41, 0x01, 0x46, 0x04, 0x40, 0x00, 0x0b])) // tee; == 1: unreachable
    .bytes(new Uint8Array([0x20, 0x00, 0x41, 0x02, 0x46, 0x04, 0x40, 0x10])).u32(yieldTo).byte(0x0b) // == 2: yield
    .byte(0x0b);
  return new ByteWriter().u32(body.length).bytes(body.finish()).finish();
}

/** Calls name functions by index: the index moves with the imports added before them. */
const CALLS = new Set([0x10, 0x12, 0xd2]);

/** One function body with the charge inserted after every `loop` and its calls moved. */
function instrumentBody(bytes: Uint8Array, end: number, r: ByteReader, charge: Uint8Array, shift: FunctionShift, out: ByteWriter): void {
  const start = r.at;
  for (let groups = r.u32(); groups > 0; groups--) {
    r.skipLeb();
    skipValueType(r);
  }
  let copied = start;
  const ins: Instruction = { op: 0, sub: -1 };
  while (r.at < end) {
    const at = r.at;
    const { op, index } = readInstruction(r, ins);
    if (CALLS.has(op)) {
      out.bytes(bytes.subarray(copied, at));
      out.byte(op).u32(shiftFunction(shift, index!));
      copied = r.at;
    } else if (op === 0x03) {
      out.bytes(bytes.subarray(copied, r.at)).bytes(charge);
      copied = r.at;
    }
  }
  out.bytes(bytes.subarray(copied, end));
}

/** Where a module out of fuel asks the host for more, and may be suspended by it. */
export const fuelImports = { module: 'twirl:fuel', checkpoint: 'checkpoint', yield: 'yield' } as const;

/** What `checkpoint` answers. */
export const Checkpoint = { proceed: 0, trap: 1, yield: 2 } as const;

/**
 * Adds a fuel global (exported as `twirl-fuel`, starting at `budget`) spent by every loop
 * iteration; at zero the module calls `twirl:fuel#checkpoint`, which refills it, stops the
 * guest, or asks it to `twirl:fuel#yield`.
 */
export function addFuel(bytes: Uint8Array, budget: bigint): Uint8Array {
  const layout = readLayout(bytes);
  const code = layout.sections.find((s) => s.id === SectionId.code);
  const functions = layout.sections.find((s) => s.id === SectionId.function);
  // The small adapter modules jco adds have no globals and no loops worth metering.
  if (!code || !functions || !layout.sections.some((s) => s.id === SectionId.global)) return bytes;
  const typeSection = layout.sections.find((s) => s.id === SectionId.type);
  const importSection = layout.sections.find((s) => s.id === SectionId.import);
  const types = typesWith(bytes, typeSection, [
    { params: [], results: [ValueType.i32] },
    { params: [], results: [] },
  ]);
  const waiting = waitingImports(bytes, importSection, typeSection);
  const imported = countFunctionImports(bytes, importSection);
  const shift: FunctionShift = { imported, added: waiting.length > 0 ? 5 : 2 };
  const checkpoint = shift.imported;
  const yieldTo = shift.imported + 1;
  const waitAt: WaitFunctions = { pending: imported + 2, wait: imported + 3, waitI32: imported + 4 };
  const imports = importsWith(bytes, importSection, [
    { module: fuelImports.module, name: fuelImports.checkpoint, type: types.first },
    { module: fuelImports.module, name: fuelImports.yield, type: types.first + 1 },
    ...(waiting.length > 0
      ? [
          { module: waitImports.module, name: waitImports.pending, type: types.first },
          { module: waitImports.module, name: waitImports.wait, type: types.first + 1 },
          { module: waitImports.module, name: waitImports.waitI32, type: types.first },
        ]
      : []),
  ]);

  const fr = sectionReader(bytes, functions);
  const defined = fr.u32();
  const refuel = shift.imported + shift.added + defined;
  // Every use of a host function that may wait moves to its wait point, defined after `refuel`.
  shift.redirect = new Map(waiting.map((w, k) => [w.index, refuel + 1 + k]));
  const functionSection = new ByteWriter().u32(defined + 1 + waiting.length).bytes(bytes.subarray(fr.at, functions.end)).u32(types.first + 1);
  for (const w of waiting) functionSection.u32(w.type);

  const fuel = layout.importedGlobals + layout.globals.length;
  const charge = spend(fuel, refuel);
  const globals = shiftGlobals(bytes, layout.sections.find((s) => s.id === SectionId.global)!, shift);
  // The new global goes last: rewrite the count, keep the entries.
  const globalEntries = globals.finish();
  const globalCount = new ByteReader(globalEntries);
  globalCount.u32();
  const globalSection = new ByteWriter().u32(layout.globals.length + 1).bytes(globalEntries.subarray(globalCount.at));
  globalSection.byte(ValueType.i64).byte(1).byte(0x42).sleb(budget).byte(0x0b);

  const r = sectionReader(bytes, code);
  const bodies = new ByteWriter().u32(r.u32() + 1 + waiting.length);
  while (r.at < code.end) {
    const size = r.u32();
    const end = r.at + size;
    const body = new ByteWriter();
    instrumentBody(bytes, end, r, charge, shift, body);
    bodies.u32(body.length).bytes(body.finish());
    r.at = end;
  }
  bodies.bytes(refuelBody(checkpoint, yieldTo));
  for (const w of waiting) bodies.bytes(waitPointBody(w, waitAt));

  let typesPlaced = false;
  const placeTypesAndImports = (out: ByteWriter) => {
    if (typesPlaced) return;
    typesPlaced = true;
    out.section(SectionId.type, types.body).section(SectionId.import, imports);
  };
  const rewritten = rebuildModule(bytes, layout.sections, (s, out) => {
    if (s.id === SectionId.type || s.id === SectionId.import) placeTypesAndImports(out);
    else if (s.id === SectionId.custom) {
      const names = shiftNames(bytes, s, { imported: shift.imported, added: shift.added });
      if (!names) return false;
      out.section(SectionId.custom, names);
    } else {
      placeTypesAndImports(out);
      if (s.id === SectionId.function) out.section(SectionId.function, functionSection);
      else if (s.id === SectionId.global) out.section(SectionId.global, globalSection);
      else if (s.id === SectionId.code) out.section(SectionId.code, bodies);
      else if (s.id === SectionId.export) out.section(SectionId.export, shiftExports(bytes, s, shift));
      else if (s.id === SectionId.start) out.section(SectionId.start, shiftStart(bytes, s, shift));
      else if (s.id === SectionId.element) out.section(SectionId.element, shiftElements(bytes, s, shift));
      else return false;
    }
    return true;
  });
  return addExports(rewritten, [{ name: fuelExport, kind: ExternKind.global, index: fuel }]);
}
