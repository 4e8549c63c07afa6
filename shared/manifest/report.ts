import type { Diagnostic } from '../errors.ts';
import { formatField, type FieldPath, type SourceMap } from './source-map.ts';

/** Collects diagnostics for one manifest, placing each at the line of the field it is about. */
export class Report {
  readonly file: string;
  readonly diagnostics: Diagnostic[] = [];
  readonly #source: SourceMap;

  constructor(file: string, source: SourceMap) {
    this.file = file;
    this.#source = source;
  }

  error(code: string, path: FieldPath, message: string): void {
    this.#add('error', code, path, message);
  }

  warn(code: string, path: FieldPath, message: string): void {
    this.#add('warning', code, path, message);
  }

  hasErrors(): boolean {
    return this.diagnostics.some((d) => d.severity === 'error');
  }

  lineOf(path: FieldPath): number | undefined {
    return this.#source.lineOf(path);
  }

  #add(severity: Diagnostic['severity'], code: string, path: FieldPath, message: string): void {
    const line = path.length ? this.#source.lineOf(path) : undefined;
    const diagnostic: Diagnostic = { code, message, file: this.file, severity };
    if (path.length) diagnostic.field = formatField(path);
    if (line !== undefined) {
      diagnostic.line = line;
      diagnostic.lineText = this.#source.lineText(line);
    }
    this.diagnostics.push(diagnostic);
  }
}
