/**
 * Writes TOML tables the way Spin manifests are written by hand: scalars, arrays and small
 * tables inline, one `[header]` per table. Used to append to a manifest without touching the
 * rest of it (smol-toml's stringify would turn `files = [{...}]` into `[[...files]]` tables).
 */

export type TomlValue = string | number | boolean | Date | TomlValue[] | { [key: string]: TomlValue };
type TomlTable = { [key: string]: TomlValue };

/**
 * `[header]` (or `[[header]]` with `arrayItem`) and its keys; values that are tables become
 * `[header.key]` sections after it, except keys named in `inline`.
 */
export function writeTable(header: string, table: TomlTable, options: { arrayItem?: boolean; inline?: readonly string[] } = {}): string {
  const inline = options.inline ?? [];
  const open = options.arrayItem ? `[[${header}]]` : `[${header}]`;
  const lines = [open];
  const sections: string[] = [];
  for (const [key, value] of Object.entries(table)) {
    if (isTable(value) && !inline.includes(key)) sections.push(writeTable(`${header}.${tomlKey(key)}`, value));
    else lines.push(`${tomlKey(key)} = ${inlineValue(value)}`);
  }
  return [lines.join('\n'), ...sections].join('\n');
}

export function inlineValue(value: TomlValue): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return `[${value.map(inlineValue).join(', ')}]`;
  const entries = Object.entries(value).map(([k, v]) => `${tomlKey(k)} = ${inlineValue(v)}`);
  return entries.length ? `{ ${entries.join(', ')} }` : '{}';
}

export function tomlKey(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key);
}

function isTable(value: TomlValue): value is TomlTable {
  return typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date);
}
