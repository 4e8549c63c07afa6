/**
 * Small rewrites of jco's glue at preparation time, for speed on every request.
 *
 * The glue logs its progress through `_debugLog(...)` hundreds of times per request; each call
 * builds its arguments and, in Node, reads `process.env` (a slow system lookup) only to find
 * logging is off. The calls are statements of their own, so guarding each one with a constant
 * skips the argument building as well.
 *
 * The glue also keeps, per instance, tables of the resources (handles) the guest holds. A
 * restored instance never drops the handles of its last request (its memory, where it would
 * have remembered them, is written back first), so every request left its request, response,
 * headers and streams in those tables: kilobytes per request, kept until the instance was
 * replaced. `handleTables` gives the instance a way to put its tables back as they were.
 *
 * And the glue lifts a `list<u8>` with `ArrayBuffer.prototype.slice`, which clamps a range past
 * the end of memory (a negative start counts from the end) where the canonical ABI traps, and
 * gives every few bytes a buffer outside the JS heap: such lifts become `liftBytes`.
 */
const debugLogCall = /^(\s*)_debugLog\(/gm;

/** The key of the exports' member that saves and restores the glue's handle tables. */
export const handleTablesKey = Symbol.for('twirl.handle-tables');

export interface HandleTables {
  /** Remembers the tables as they are now (right after instantiation). */
  capture(): void;
  /** Puts the remembered tables back: the guest's handles are numbered as a new instance's. */
  restore(): void;
  /** Handles the guest holds now, in every table (for tests and profiles). */
  live(): number;
}

const handleTableDeclaration = /^ {2}const (handleTable\d+) = \[T_FLAG, 0\];$/gm;
const captureTableDeclaration = /^ {2}const (captureTable\d+)\s*= new Map\(\);$/gm;
/** The glue's instantiation ends by returning the exports, just before the generator is driven. */
const exportsReturn = /\n( {2})return \{([^\n]*)\};\n\}\)\(\);\nlet promise, resolve, reject;/;

const byteListLift = /new Uint8Array\((memory\d+)\.buffer\.slice\((\w+), \2 \+ (\w+) \* 1\)\)/g;

/** A `list<u8>` lifted: a copy of its bytes, or a trap (a RangeError) where it lies outside memory. */
export function liftBytes(memory: WebAssembly.Memory, ptr: number, len: number): Uint8Array {
  const buffer = memory.buffer;
  if (ptr < 0 || len < 0 || ptr + len > buffer.byteLength) {
    // The guest's i32s arrive signed: an address or length of 2 GiB or more reads negative.
    throw new RangeError(`a list of ${len >>> 0} bytes at ${ptr >>> 0} lies outside the component's memory (${buffer.byteLength} bytes)`);
  }
  return new Uint8Array(buffer, ptr, len).slice();
}

export function quietGlue(glue: string): string {
  return withHandleTables(withCheckedByteLists(glue.replace(debugLogCall, '$1if (false) _debugLog(')));
}

function withCheckedByteLists(glue: string): string {
  const checked = glue.replace(byteListLift, '$twirlLiftBytes($1, $2, $3)');
  // The function's own text, whatever a bundler named it: it uses nothing but its arguments.
  return checked === glue ? glue : `${checked}\nconst $twirlLiftBytes = ${liftBytes.toString()};\n`;
}

/** Adds the `handleTablesKey` member to the exports, where the glue's shape is the one known. */
function withHandleTables(glue: string): string {
  const handles = [...glue.matchAll(handleTableDeclaration)].map((m) => m[1]!);
  const captures = [...glue.matchAll(captureTableDeclaration)].map((m) => m[1]!);
  if (handles.length === 0 || !exportsReturn.test(glue)) return glue;
  const state = `
  const $twirlHandles = [${handles.join(', ')}];
  const $twirlCaptures = [${captures.join(', ')}];
  let $twirlSaved;
  const $twirlHandleTables = {
    capture() {
      $twirlSaved = {
        handles: $twirlHandles.map((t) => ({ slots: t.slice(), reps: [...t._createdReps] })),
        captures: $twirlCaptures.map((c) => [...c]),
      };
    },
    restore() {
      if (!$twirlSaved) return;
      // Most tables are as they were (a request touches a few kinds of resource): those are only compared.
      for (let i = 0; i < $twirlHandles.length; i++) {
        const t = $twirlHandles[i];
        const { slots, reps } = $twirlSaved.handles[i];
        if (t.length !== slots.length) t.length = slots.length;
        for (let j = 0; j < slots.length; j++) if (t[j] !== slots[j]) t[j] = slots[j];
        if (t._createdReps.size === 0 && reps.length === 0) continue;
        t._createdReps.clear();
        for (const rep of reps) t._createdReps.add(rep);
      }
      for (let i = 0; i < $twirlCaptures.length; i++) {
        const c = $twirlCaptures[i];
        const saved = $twirlSaved.captures[i];
        if (c.size === 0 && saved.length === 0) continue;
        c.clear();
        for (const [rep, resource] of saved) c.set(rep, resource);
      }
    },
    live() {
      let n = 0;
      for (const t of $twirlHandles) for (let j = 3; j < t.length; j += 2) if (t[j] !== 0) n++;
      return n;
    },
  };`;
  return glue.replace(exportsReturn, (_all, indent: string, members: string) =>
    `\n${state}\n${indent}const $twirlExports = {${members}};\n${indent}$twirlExports[Symbol.for('twirl.handle-tables')] = $twirlHandleTables;\n${indent}return $twirlExports;\n})();\nlet promise, resolve, reject;`,
  );
}
