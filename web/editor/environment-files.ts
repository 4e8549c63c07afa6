/**
 * Which declaration files the editor's TypeScript program gets, and where it sees them: the
 * ES and worker libs of the `typescript` package, the component's globals and Spin modules
 * (types/), and the packages the templates use (hono). Shared by the worker, which bundles
 * them, and the tests, which read them from disk.
 */
import { LIB_DIR } from './typescript-project.ts';

const RULES: Array<[RegExp, (match: RegExpMatchArray) => string]> = [
  [/\/typescript\/lib\/(lib\.(?:es|webworker|decorators)[^/]*\.d\.ts)$/, (m) => `${LIB_DIR}${m[1]}`],
  [/\/editor\/types\/([^/]+\.d\.ts)$/, (m) => `${LIB_DIR}${m[1]}`],
  [/\/node_modules\/(hono\/(?:package\.json|dist\/types\/.+\.d\.ts))$/, (m) => `/node_modules/${m[1]}`],
];

/** The program's path for a file found at `onDisk`, or undefined when the program leaves it out. */
export function environmentPath(onDisk: string): string | undefined {
  for (const [pattern, to] of RULES) {
    const match = onDisk.match(pattern);
    if (match) return to(match);
  }
  return undefined;
}

/** `[program path, path on disk]` for each file of `found` the program takes. */
export function editorEnvironmentFiles(...found: string[][]): Array<[string, string]> {
  return found.flat().flatMap((onDisk) => {
    const path = environmentPath(`/${onDisk}`);
    return path ? [[path, onDisk] as [string, string]] : [];
  });
}
