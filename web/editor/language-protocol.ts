/**
 * Messages between the editor and its language worker (language-worker.ts): each request
 * carries the app's text files, so the worker's program always matches what is on screen.
 */

export interface EditorDiagnostic {
  /** Offsets into the file's text. */
  from: number;
  to: number;
  severity: 'error' | 'warning' | 'info';
  message: string;
  /** TypeScript's error number. */
  code?: number;
}

export interface CompletionOption {
  label: string;
  /** TypeScript's kind of the name: `property`, `method`, `function`, `const`… */
  type: string;
  sortText: string;
  apply?: string;
}

export interface CompletionList {
  /** Where the word being completed starts. */
  from: number;
  options: CompletionOption[];
}

export interface TextEdit {
  from: number;
  to: number;
  insert: string;
}

export type LanguageQuery =
  | { kind: 'diagnostics'; path: string }
  | { kind: 'completions'; path: string; position: number }
  | { kind: 'quick-info'; path: string; position: number }
  | { kind: 'format'; path: string };

export interface LanguageAnswers {
  diagnostics: EditorDiagnostic[];
  completions: CompletionList | undefined;
  'quick-info': string | undefined;
  format: TextEdit[];
}

export interface LanguageRequest {
  id: number;
  files: Record<string, string>;
  query: LanguageQuery;
}

export type LanguageReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };
