/**
 * jco's glue is an ES module, and service workers forbid `import()`: evaluate its source as a
 * function body instead. The glue imports nothing (instantiation mode), exports `instantiate`,
 * and mentions `import.meta.url` only for a default we never use (we pass getCoreModule).
 */
import type { GlueInstantiate } from '../shared/component/instantiate.ts';

export function glueFromSource(source: string): GlueInstantiate {
  const body = source
    .replace(/^export (async function|function|const|let|var|class) /gm, '$1 ')
    .replace(/^export \{[^}]*\};?\s*$/gm, '')
    .replaceAll('import.meta.url', '"about:blank"');
  // The source is jco's output for a component the user chose to run, evaluated in our own origin
  // but with no more reach than the component's imports give it.
  const make = new Function(`"use strict";\n${body}\nreturn instantiate;`) as () => GlueInstantiate;
  const instantiate = make();
  compileNow(instantiate);
  return instantiate;
}

/**
 * Runs the glue's `instantiate` until it asks for its first core module, and stops it there.
 * V8 compiles a function when it is first called: this one is the glue's whole megabyte, and
 * compiling it here (while the engine compiles off the thread) keeps it out of the first request.
 */
function compileNow(instantiate: GlueInstantiate): void {
  const stop = (): never => {
    throw new Error('stopped before instantiating');
  };
  try {
    void Promise.resolve(instantiate(stop, {})).catch(() => {});
  } catch {
    // Stopped, as meant.
  }
}
