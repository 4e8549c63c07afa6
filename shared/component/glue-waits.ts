/**
 * jco's JSPI glue routes every host function listed as async through an async trampoline, a
 * microtask and a `WebAssembly.Suspending`, so each call suspends the guest and costs several
 * turns of the job queue even when the host answers at once (a poll with something ready, a
 * body already in memory, a write into the response). This rewrite makes those calls
 * synchronous first: the trampoline runs as a generator that only goes async when the host
 * answers with a promise, and instead of a `Suspending` the glue hands the core modules a plain
 * function marked with `mayWaitKey`. Such a function returns the answer, or a promise when the
 * host has to wait; the core linker passes the promise to the module's wait point (see
 * wait-points.ts), which alone suspends the guest.
 *
 * Each step matches jco's output as it is known; where one does not match, the glue is left as
 * jco made it (every call suspends, as before), never half rewritten.
 */

/** Marks a host function of the glue that may answer with a promise the guest must wait for. */
export const mayWaitKey = Symbol.for('twirl.may-wait');

/** `async enter(opts)` of jco's task, up to the end of its host branch (which never awaits). */
const taskEnter = /\n( +)async enter\(opts\) \{\n([\s\S]*?\n\1 {2}if \(opts\?\.isHost\) \{\n[\s\S]*?\n\1 {4}return this\.#entered;\n\1 {2}\}\n)/;

/** An async trampoline: the whole function, up to where jco names it. */
const asyncTrampoline = /const (_trampoline\d+) = async function\(([^)]*)\) \{\n([\s\S]*?)\n( *)\}\n(\s*)\1\.fnName = /g;
const hostEntry = 'await task.enter({ isHost: hostProvided })';
const hostCall = /await {1,2}_withGlobalCurrentTaskMetaAsync\(/g;

/** `_suspendingImport`'s path for a guest that may block: always an async closure. */
const suspendingAsync =
  /\n( *)return \(async \(\) => \{\n\s*try \{\n\s*return await fn\.apply\(null, args\);\n\s*\} finally \{\n(\s*CURRENT_TASK_META\[componentIdx\] = saved;\n\s*if \(!switchesTask\) \{ CURRENT_TASK_META\.current = saved; \}\n)\s*\}\n\s*\}\)\(\);\n/;

/** `_lowerImportBackwardsCompat`, where a manually async import's call is queued as a microtask. */
const manualAsyncCall = /\n( *)const requiresManualAsyncResult = !isAsync && !funcTypeIsAsync && isManualAsync;\n/;

const helpersAfter = /\n( *)async function _withGlobalCurrentTaskMetaAsync\(args\) \{\n[\s\S]*?\n\1\}\n/;

const suspending = /new WebAssembly\.Suspending\(_suspendingImport\(/g;

const helpers = `
function $twirlThenable(value) {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof value.then === 'function';
}
/* Runs a trampoline made a generator: synchronously while what it waits for is no promise. */
function $twirlSyncFirst(generator) {
  const resume = async (steps, pending) => {
    let step;
    for (;;) {
      try {
        step = steps.next(await pending);
      } catch (err) {
        step = steps.throw(err);
      }
      if (step.done) return step.value;
      pending = step.value;
    }
  };
  return function (...args) {
    const steps = generator.apply(this, args);
    let step = steps.next();
    while (!step.done) {
      if ($twirlThenable(step.value)) return resume(steps, step.value);
      step = steps.next(step.value);
    }
    return step.value;
  };
}
/* _withGlobalCurrentTaskMetaAsync, synchronous while the host answers at once. */
function $twirlWithTaskMeta(args) {
  const { taskID, componentIdx, fn } = args;
  const clear = () => {
    CURRENT_TASK_META[componentIdx] = null;
    if (CURRENT_TASK_META.current?.taskID === taskID) CURRENT_TASK_META.current = null;
  };
  CURRENT_TASK_META.current = CURRENT_TASK_META[componentIdx] = { taskID, componentIdx };
  let result;
  try {
    result = fn();
  } catch (err) {
    clear();
    throw err;
  }
  if (!$twirlThenable(result)) {
    clear();
    return result;
  }
  return Promise.resolve(result).finally(clear);
}
function $twirlMayWait(fn) {
  fn[Symbol.for('twirl.may-wait')] = true;
  return fn;
}
`;

/** The glue with host calls that answer at once kept synchronous; unchanged where jco's shape is not the known one. */
export function syncFirstHostCalls(glue: string): string {
  const enter = taskEnter.exec(glue);
  const after = helpersAfter.exec(glue);
  if (!enter || !after || !suspendingAsync.test(glue) || !manualAsyncCall.test(glue)) return glue;
  const trampolines = [...glue.matchAll(asyncTrampoline)];
  if (trampolines.length === 0) return glue;
  for (const [, , , body] of trampolines) {
    // Exactly the two known waits, or the trampoline is one this rewrite does not know.
    if (body!.split('await').length !== 3 || !body!.includes(hostEntry) || body!.match(hostCall)?.length !== 1) return glue;
  }
  let out = glue.replace(asyncTrampoline, (_all, name: string, params: string, body: string, indent: string, gap: string) => {
    const syncBody = body.replace(hostEntry, 'task.enter({ isHost: hostProvided })').replace(hostCall, 'yield $twirlWithTaskMeta(');
    return `const ${name} = $twirlSyncFirst(function* (${params}) {\n${syncBody}\n${indent}});\n${gap}${name}.fnName = `;
  });
  // A host task's entry never waits: `enter` answers it at once, and keeps its promise for guest tasks.
  out = out.replace(taskEnter, (_all, indent: string, head: string) =>
    `\n${indent}enter(opts) {\n${indent}  if (!opts?.isHost) return this.$twirlEnterGuest(opts);\n${head}${indent}  throw new Error('a host task was not entered');\n${indent}}\n${indent}async $twirlEnterGuest(opts) {\n${head}`,
  );
  out = out.replace(suspendingAsync, (_all, indent: string, restore: string) =>
    `
${indent}let result;
${indent}try {
${indent}  result = fn.apply(null, args);
${indent}} catch (err) {
${restore}${indent}  throw err;
${indent}}
${indent}if (!$twirlThenable(result)) {
${restore}${indent}  return result;
${indent}}
${indent}return (async () => {
${indent}  try {
${indent}    return await result;
${indent}  } finally {
${restore}${indent}  }
${indent}})();
`,
  );
  // A manually async import (a JSPI host function) is called at once, not from a microtask.
  out = out.replace(manualAsyncCall, (all, indent: string) =>
    `
${indent}if (!isAsync && !funcTypeIsAsync && isManualAsync && !createdTask) {
${indent}  const answer = importFn(...params);
${indent}  if (!$twirlThenable(answer)) return subtask.getResult();
${indent}  return Promise.resolve(answer).then(() => subtask.getResult());
${indent}}${all}`,
  );
  out = out.replace(suspending, '$twirlMayWait(_suspendingImport(');
  return out.replace(helpersAfter, (all) => `${all}${helpers}`);
}
