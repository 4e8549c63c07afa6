import { nearMiss } from './near-miss.ts';
import type { Report } from './report.ts';
import type { FieldPath } from './source-map.ts';
import type { TomlTable } from './toml.ts';

/** Typed reads of manifest fields; a wrong type becomes an `invalid-type` diagnostic. */

export function isTable(value: unknown): value is TomlTable {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** "a string", "an integer"…, for "expected X, found Y". */
export function describe(value: unknown): string {
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'boolean') return 'a boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a float';
  if (typeof value === 'bigint') return 'an integer';
  if (Array.isArray(value)) return 'a list';
  if (isTable(value)) return 'a table';
  return 'a date';
}

export function own(table: TomlTable, key: string): unknown {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** Sets a key even when it is `__proto__`, which plain assignment would not store. */
export function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}

export function wrongType(report: Report, path: FieldPath, expected: string, found: unknown): void {
  report.error('invalid-type', path, `expected ${expected}, found ${describe(found)}`);
}

export function readString(report: Report, table: TomlTable, key: string, path: FieldPath): string | undefined {
  const value = own(table, key);
  if (value === undefined || typeof value === 'string') return value;
  wrongType(report, [...path, key], 'a string', value);
  return undefined;
}

export function readBool(report: Report, table: TomlTable, key: string, path: FieldPath): boolean | undefined {
  const value = own(table, key);
  if (value === undefined || typeof value === 'boolean') return value;
  wrongType(report, [...path, key], 'a boolean (true or false)', value);
  return undefined;
}

export function readTable(report: Report, table: TomlTable, key: string, path: FieldPath): TomlTable | undefined {
  const value = own(table, key);
  if (value === undefined || isTable(value)) return value;
  wrongType(report, [...path, key], 'a table', value);
  return undefined;
}

export function readStringList(report: Report, table: TomlTable, key: string, path: FieldPath): string[] {
  const value = own(table, key);
  if (value === undefined) return [];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  const bad = Array.isArray(value) ? value.find((v) => typeof v !== 'string') : value;
  report.error('invalid-type', [...path, key], `expected a list of strings, found ${Array.isArray(value) ? `a list containing ${describe(bad)}` : describe(value)}`);
  return [];
}

export function readStringMap(report: Report, table: TomlTable, key: string, path: FieldPath): Record<string, string> {
  const value = own(table, key);
  const out: Record<string, string> = {};
  if (value === undefined) return out;
  if (!isTable(value)) {
    wrongType(report, [...path, key], 'a table of strings', value);
    return out;
  }
  for (const [name, v] of Object.entries(value)) {
    if (typeof v === 'string') setOwn(out, name, v);
    else wrongType(report, [...path, key, name], 'a string', v);
  }
  return out;
}

/** Fields that are not plain typos: `spinOnly`, ones Spin reads and Twirl does not; `renamed`, another manifest version's fields, each with what this version writes instead (the message's rest after the field's name). */
export interface SpecialFields {
  spinOnly?: readonly string[];
  renamed?: Readonly<Record<string, string>>;
}

/**
 * Unknown fields are likely typos or newer Spin features: worth a warning, not a failure — but
 * one a letter or two from a known field that the table lacks is that field misspelt (`sorce`,
 * `allowed_outbound_host`): an error, as Spin's is, instead of running without it. So is a
 * field of the other manifest version: the app would run without what it asks for. Fields Spin
 * reads and Twirl does not are warned about as such, never taken for a typo.
 */
export function warnUnknown(report: Report, table: TomlTable, known: readonly string[], path: FieldPath, special: SpecialFields = {}): void {
  for (const key of Object.keys(table)) {
    if (known.includes(key)) continue;
    if (special.spinOnly?.includes(key)) {
      report.warn('unsupported-field', [...path, key], `\`${key}\` is not supported by Twirl and is ignored`);
      continue;
    }
    const renamed = special.renamed && Object.hasOwn(special.renamed, key) ? special.renamed[key] : undefined;
    if (renamed) {
      report.error('other-version-field', [...path, key], `\`${key}\` ${renamed}`);
      continue;
    }
    const meant = nearMiss(key, known);
    if (meant && !Object.hasOwn(table, meant)) report.error('unknown-field', [...path, key], `unknown field \`${key}\`: did you mean \`${meant}\`?`);
    else report.warn('unknown-field', [...path, key], `unknown field \`${key}\` is ignored${meant ? `; did you mean \`${meant}\`?` : ''}`);
  }
}
