/**
 * An app's JS/TS sources as one TypeScript program, for the editor: diagnostics, completions and
 * formatting from TypeScript's language service over files held in memory. It runs wherever it is
 * given `typescript` and the declaration files (the editor's worker; Node, in tests); no DOM.
 */
import type * as TS from 'typescript';
import type { CompletionList, EditorDiagnostic, TextEdit } from './language-protocol.ts';

/** Where the program's own files live; the app's files are at `/<path>`. */
export const LIB_DIR = '/lib/';

/**
 * What a component's code sees: the Web APIs of a worker (fetch, Request, Response, URL, streams,
 * TextEncoder, crypto) over ES2023, the `fetch` listener and the Spin modules.
 */
const COMPILER_OPTIONS: TS.CompilerOptions = {
  target: 9 /* ES2022 */,
  module: 99 /* ESNext */,
  moduleResolution: 100 /* Bundler */,
  lib: ['lib.es2023.d.ts', 'lib.webworker.d.ts', 'lib.webworker.iterable.d.ts'],
  allowJs: true,
  checkJs: true,
  strict: true,
  // JS has no annotations to give: what TypeScript cannot infer there is not the reader's error.
  noImplicitAny: false,
  // Nor is reading `err.message` in a `catch`, which JS cannot annotate.
  useUnknownInCatchVariables: false,
  allowImportingTsExtensions: true,
  noEmit: true,
  skipLibCheck: true,
  isolatedModules: true,
  esModuleInterop: true,
  resolveJsonModule: true,
};

const SOURCE = /\.(js|mjs|cjs|jsx|ts|mts|cts|tsx)$/;
/** Whether the editor checks this file with TypeScript. */
export const isScript = (path: string): boolean => SOURCE.test(path) && !path.endsWith('.d.ts');

export class TypeScriptProject {
  readonly #ts: typeof TS;
  /** The app's text files by absolute path, each with the version TypeScript caches it by. */
  #files = new Map<string, { text: string; version: number }>();
  readonly #service: TS.LanguageService;

  /** `environment`: declaration files by absolute path, TypeScript's libs under LIB_DIR, packages under /node_modules/. */
  constructor(ts: typeof TS, environment: ReadonlyMap<string, string>) {
    this.#ts = ts;
    const globals = [...environment.keys()].filter((p) => p.startsWith(LIB_DIR) && !/\/lib\.[^/]*\.d\.ts$/.test(p));
    const read = (path: string): string | undefined => this.#files.get(path)?.text ?? environment.get(path);
    const host: TS.LanguageServiceHost = {
      getCompilationSettings: () => COMPILER_OPTIONS,
      getScriptFileNames: () => [...globals, ...[...this.#files.keys()].filter(isScript)],
      getScriptVersion: (path) => String(this.#files.get(path)?.version ?? 0),
      getScriptSnapshot: (path) => {
        const text = read(path);
        return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
      },
      getCurrentDirectory: () => '/',
      getDefaultLibFileName: () => `${LIB_DIR}lib.d.ts`,
      fileExists: (path) => read(path) !== undefined,
      readFile: read,
      directoryExists: (dir) => {
        const prefix = dir.endsWith('/') ? dir : `${dir}/`;
        return [...this.#files.keys(), ...environment.keys()].some((p) => p.startsWith(prefix));
      },
      getDirectories: () => [],
    };
    this.#service = ts.createLanguageService(host, ts.createDocumentRegistry());
  }

  /** Replaces the app's files (by path, without a leading slash); unchanged ones keep their parse. */
  setFiles(files: Readonly<Record<string, string>>): void {
    const next = new Map<string, { text: string; version: number }>();
    for (const [path, text] of Object.entries(files)) {
      const key = `/${path}`;
      const before = this.#files.get(key);
      next.set(key, before && before.text === text ? before : { text, version: (before?.version ?? 0) + 1 });
    }
    this.#files = next;
  }

  /** Syntax and type errors of `path`, as the editor marks them. */
  diagnostics(path: string): EditorDiagnostic[] {
    const file = `/${path}`;
    if (!isScript(path) || !this.#files.has(file)) return [];
    const found = [...this.#service.getSyntacticDiagnostics(file), ...this.#service.getSemanticDiagnostics(file)];
    const { DiagnosticCategory, flattenDiagnosticMessageText } = this.#ts;
    return found.map((d) => ({
      from: d.start ?? 0,
      to: (d.start ?? 0) + (d.length ?? 0),
      severity: d.category === DiagnosticCategory.Error ? 'error' : d.category === DiagnosticCategory.Warning ? 'warning' : 'info',
      message: flattenDiagnosticMessageText(d.messageText, '\n'),
      code: d.code,
    }));
  }

  /** What may be written at `position` of `path` (members after a `.`, names elsewhere). */
  completions(path: string, position: number): CompletionList | undefined {
    const file = `/${path}`;
    if (!isScript(path) || !this.#files.has(file)) return undefined;
    const found = this.#service.getCompletionsAtPosition(file, position, { includeCompletionsWithInsertText: true });
    if (!found) return undefined;
    const text = this.#files.get(file)!.text;
    let from = position;
    while (from > 0 && /[\w$]/.test(text[from - 1]!)) from--;
    return {
      from,
      options: found.entries.map((e) => ({ label: e.name, type: e.kind, sortText: e.sortText, ...(e.insertText ? { apply: e.insertText } : {}) })),
    };
  }

  /** The type or signature under `position`, for a tooltip. */
  quickInfo(path: string, position: number): string | undefined {
    const info = this.#service.getQuickInfoAtPosition(`/${path}`, position);
    if (!info) return undefined;
    const signature = this.#ts.displayPartsToString(info.displayParts);
    const docs = this.#ts.displayPartsToString(info.documentation);
    return docs ? `${signature}\n\n${docs}` : signature;
  }

  /** The edits that format `path` as TypeScript's formatter does, two-space indented. */
  format(path: string): TextEdit[] {
    if (!isScript(path) || !this.#files.has(`/${path}`)) return [];
    const edits = this.#service.getFormattingEditsForDocument(`/${path}`, {
      ...this.#ts.getDefaultFormatCodeSettings('\n'),
      indentSize: 2,
      tabSize: 2,
      convertTabsToSpaces: true,
      semicolons: this.#ts.SemicolonPreference.Ignore,
    });
    return edits.map((e) => ({ from: e.span.start, to: e.span.start + e.span.length, insert: e.newText }));
  }
}
