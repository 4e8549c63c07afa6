import { checkVariableName } from '../host/variables.ts';
import { isTable, own, readBool, readString, setOwn, warnUnknown, wrongType } from './fields.ts';
import type { Report } from './report.ts';
import type { TomlTable } from './toml.ts';
import type { VariableDeclaration } from './types.ts';

/** Reads `[variables]`, the same in both manifest formats. */
export function readVariableDeclarations(report: Report, doc: TomlTable): Record<string, VariableDeclaration> {
  const out: Record<string, VariableDeclaration> = {};
  const table = own(doc, 'variables');
  if (table === undefined) return out;
  if (!isTable(table)) {
    wrongType(report, ['variables'], 'a table of variable declarations', table);
    return out;
  }
  for (const [name, value] of Object.entries(table)) {
    const path = ['variables', name];
    const nameError = checkVariableName(name);
    if (nameError) {
      report.error('invalid-variable-name', path, nameError);
      continue;
    }
    if (!isTable(value)) {
      wrongType(report, path, 'a table like { default = "..." } or { required = true }', value);
      continue;
    }
    warnUnknown(report, value, ['default', 'required', 'secret'], path);
    const fallback = readString(report, value, 'default', path);
    const required = readBool(report, value, 'required', path) ?? false;
    const secret = readBool(report, value, 'secret', path) ?? false;
    if (required === (fallback !== undefined)) {
      report.error('invalid-variable', path, `variable \`${name}\` must have exactly one of \`default = "..."\` or \`required = true\``);
    }
    const declaration: VariableDeclaration = { required, secret };
    if (fallback !== undefined) declaration.default = fallback;
    setOwn(out, name, declaration);
  }
  return out;
}
