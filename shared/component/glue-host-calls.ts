/**
 * jco's glue runs every host call through the component model's task machinery: the lowering
 * opens a subtask in the guest's task, the host function opens a task of its own, links it to
 * that subtask, enters it, records itself as the current task while the host runs, resolves and
 * exits it, and only then hands back the result. For a synchronous host function called from a
 * synchronous lowering (every import of a wasi:http 0.2 world but the ones that may wait) none
 * of this changes what the guest sees: the host answers at once, nothing else runs meanwhile,
 * and the result is what the function returns or writes into memory. It does cost a handful of
 * objects with private fields, closures and promises per call, and a request makes dozens of
 * calls: profiled, it was a third of the JavaScript a request ran.
 *
 * This rewrite gives each such host function a direct path: the trampoline calls the host and
 * lowers its result with no task around it, and the lowering hands the core module the
 * trampoline itself. Each trampoline is rewritten only when every step matches jco's output as
 * it is known; any other is left as jco made it, and so is every call that may wait or is async.
 */

/** A host trampoline, plain or made a generator by glue-waits.ts: the whole function, up to where jco names it. */
const trampoline = /const (_trampoline\d+) = (function\(|\$twirlSyncFirst\(function\* \()([^)]*)\) \{\n([\s\S]*?)\n( *)\}(\)?);?\n(\s*)\1\.fnName = /g;

/** The host task's creation and entry, from the first declaration to `enterSync` or the check of `enter`. */
const taskOpening = /\n( +)const hostProvided = true;\n\s*let parentTask;\n\s*let task;\n\s*let subtask;\n[\s\S]*?\n\1(?:const started = task\.enterSync\(\);|const started = task\.enter\(\{ isHost: hostProvided \}\);\n\1if \(!started\) \{\n[\s\S]*?\n\1 {2}throw new Error\("failed to enter task"\);\n\1\})\n/;
/** The host call made with the host task as the current one (a generator yields what it may wait for). */
const callInTask = /(_withGlobalCurrentTaskMeta|\$twirlWithTaskMeta)\(\{\n\s*componentIdx: task\.componentIdx\(\),\n\s*taskID: task\.id\(\),\n\s*fn: \(\) => ([^\n]*),\n\s*\}\)\n\s*;/;
/** The host task failed with the call (absent where a `result` type catches the error); a generator returned its rejection. */
const taskFailure = /\n( +)task\.setErrored\(err\);\n\1task\.reject\(err\);\n\1task\.exit\(\);\n(?:\1return task\.completionPromise\(\);\n)?/;
/** The host task resolved with the result. */
const taskSuccess = /\n( +)task\.resolve\(\[[^\n]*\]\);\n\1task\.exit\(\);(?=\n|$)/;
/** What only the task machinery does: none of it may remain in a rewritten trampoline. */
const taskLeftovers = /createNewCurrentTask|enterSync|task\.(resolve|reject|exit|enter|completionPromise)\(|setErrored|getLatestSubtask|_withGlobalCurrentTaskMeta|\$twirlWithTaskMeta|\bawait\b/;

const lowering = /\n( *)function _lowerImportBackwardsCompat\(args\) \{\n[\s\S]*?\n\1\}\n/;
const lowerCall = /_lowerImportBackwardsCompat\.bind\(/g;

const directKey = '$twirlDirect';

const helper = `
function $twirlLower(thisArg, args) {
  /* A synchronous lowering of a trampoline rewritten to need no task: the trampoline itself (which may answer with a promise only where it may wait). */
  if (args.importFn?.${directKey} === true && args.isAsync === false && args.funcTypeIsAsync === false) return args.importFn;
  return _lowerImportBackwardsCompat.bind(thisArg, args);
}
`;

function directBody(body: string, generator: boolean): string | undefined {
  const opening = taskOpening.exec(body);
  if (!opening || !opening[0].includes('taskCreation:') || !opening[0].includes('createNewCurrentTask')) return undefined;
  const call = callInTask.exec(body);
  if (!call || (call[1] === '$twirlWithTaskMeta') !== generator || !taskSuccess.test(body)) return undefined;
  const direct = body
    .replace(taskOpening, '\n')
    .replace(callInTask, (_all, _wrapper: string, hostCall: string) => `${hostCall};`)
    .replace(taskFailure, (all: string, indent: string) => (all.includes('completionPromise') ? `\n${indent}throw err;\n` : '\n'))
    .replace(taskSuccess, '');
  // The glue's disabled debug lines still name the task; they never run.
  const live = direct.replace(/if \(false\) _debugLog\([\s\S]*?\);\n/g, '');
  return taskLeftovers.test(live) || (!generator && /\byield\b/.test(live)) ? undefined : direct;
}

/** The glue with host calls made without tasks where they are synchronously lowered; unchanged where jco's shape is not the known one. */
export function directHostCalls(glue: string): string {
  if (!lowering.test(glue) || !glue.includes('_lowerImportBackwardsCompat.bind(')) return glue;
  let rewritten = 0;
  const out = glue.replace(trampoline, (all, name: string, opening: string, params: string, body: string, indent: string, close: string, gap: string) => {
    const generator = opening !== 'function(';
    if (generator !== (close === ')')) return all;
    const direct = directBody(body, generator);
    if (direct === undefined) return all;
    rewritten++;
    return `const ${name} = ${opening}${params}) {\n${direct}\n${indent}}${close};\n${gap}${name}.${directKey} = true;\n${gap}${name}.fnName = `;
  });
  if (rewritten === 0) return glue;
  return out.replace(lowerCall, '$twirlLower(').replace(lowering, (all) => `${all}${helper}`);
}
