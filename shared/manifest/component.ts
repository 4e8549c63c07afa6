import { checkVariableName } from '../host/variables.ts';
import {
  describe, isTable, own, readString, readStringList, readStringMap, readTable, warnUnknown, wrongType,
} from './fields.ts';
import type { Report } from './report.ts';
import type { FieldPath } from './source-map.ts';
import type { TomlTable } from './toml.ts';
import type { BuildConfig, ComponentConfig, ComponentSource, FileMount } from './types.ts';

/** Fields both manifest formats share; each format reads its own extras. */
export const COMMON_COMPONENT_FIELDS = [
  'description', 'source', 'files', 'exclude_files', 'allowed_outbound_hosts', 'key_value_stores',
  'environment', 'build', 'sqlite_databases', 'ai_models',
] as const;

/** Spin's kebab-case id: words of letters and digits joined by `-`, each starting with a letter. */
export function checkComponentId(id: string): string | undefined {
  const words = id.split('-');
  const ok = id !== '' && words.every((w) => /^[a-z][a-z0-9]*$/.test(w) || /^[A-Z][A-Z0-9]*$/.test(w));
  if (ok) return undefined;
  return `\`${id}\` is not a valid component id: use words of letters and digits joined by '-', each starting with a letter (e.g. \`hello-world\`)`;
}

/** Reads the parts of a component table common to both formats. */
export function readComponentBody(
  report: Report, table: TomlTable, id: string, path: FieldPath,
  extras: { allowedOutboundHosts: string[]; variables: Record<string, string> },
): ComponentConfig | undefined {
  const source = readSource(report, table, path);
  const component: ComponentConfig = {
    id,
    source: source ?? { path: '' },
    files: readFiles(report, table, path),
    excludeFiles: readStringList(report, table, 'exclude_files', path),
    allowedOutboundHosts: extras.allowedOutboundHosts,
    keyValueStores: readStringList(report, table, 'key_value_stores', path),
    environment: readStringMap(report, table, 'environment', path),
    variables: extras.variables,
  };
  const description = readString(report, table, 'description', path);
  if (description !== undefined) component.description = description;
  const build = readBuild(report, table, path);
  if (build) component.build = build;
  for (const unsupported of ['sqlite_databases', 'ai_models'] as const) {
    if (readStringList(report, table, unsupported, path).length > 0) {
      report.warn('unsupported-field', [...path, unsupported], `\`${unsupported}\` is not supported by Twirl yet; the component will be denied access`);
    }
  }
  return source ? component : undefined;
}

/** Component variables (`variables` in v2, `config` in v1): templates keyed by valid names. */
export function readComponentVariables(report: Report, table: TomlTable, field: string, path: FieldPath): Record<string, string> {
  const variables = readStringMap(report, table, field, path);
  for (const name of Object.keys(variables)) {
    const error = checkVariableName(name);
    if (error) {
      report.error('invalid-variable-name', [...path, field, name], error);
      delete variables[name];
    }
  }
  return variables;
}

function readSource(report: Report, table: TomlTable, path: FieldPath): ComponentSource | undefined {
  const source = own(table, 'source');
  const at = [...path, 'source'];
  if (source === undefined) {
    report.error('missing-source', at, 'component has no `source`: expected a path to a .wasm file or { url = "...", digest = "sha256:..." }');
    return undefined;
  }
  if (typeof source === 'string') return { path: source };
  if (!isTable(source)) {
    wrongType(report, at, 'a path string or { url, digest }', source);
    return undefined;
  }
  if (own(source, 'registry') !== undefined || own(source, 'package') !== undefined) {
    report.error('unsupported-source', at, 'registry sources are not supported by Twirl; use a path or { url, digest }');
    return undefined;
  }
  const url = readString(report, source, 'url', at);
  const digest = readString(report, source, 'digest', at);
  if (url === undefined) {
    report.error('missing-source', at, 'expected a path string or { url = "...", digest = "sha256:..." }');
    return undefined;
  }
  if (digest === undefined) {
    report.error('url-source-without-digest', at, `source url ${JSON.stringify(url)} needs a \`digest = "sha256:<hex>"\` to check the download`);
    return undefined;
  }
  if (!/^sha256:[0-9a-f]{64}$/.test(digest)) {
    report.error('invalid-digest', [...at, 'digest'], `expected "sha256:" and 64 lowercase hex digits, found ${JSON.stringify(digest)}`);
    return undefined;
  }
  warnUnknown(report, source, ['url', 'digest'], at);
  return { url, digest };
}

function readFiles(report: Report, table: TomlTable, path: FieldPath): FileMount[] {
  const files = own(table, 'files');
  if (files === undefined) return [];
  const at = [...path, 'files'];
  const expected = 'a list of glob strings or { source = "...", destination = "..." } tables';
  if (!Array.isArray(files)) {
    wrongType(report, at, expected, files);
    return [];
  }
  const mounts: FileMount[] = [];
  for (const entry of files) {
    if (typeof entry === 'string') {
      mounts.push({ glob: entry });
    } else if (isTable(entry) && typeof own(entry, 'source') === 'string' && typeof own(entry, 'destination') === 'string') {
      mounts.push({ source: entry.source as string, destination: entry.destination as string });
    } else {
      report.error('invalid-type', at, `expected ${expected}, found a list containing ${describe(entry)}${isTable(entry) ? ' without string source and destination' : ''}`);
    }
  }
  return mounts;
}

function readBuild(report: Report, table: TomlTable, path: FieldPath): BuildConfig | undefined {
  const build = readTable(report, table, 'build', path);
  if (!build) return undefined;
  const at = [...path, 'build'];
  warnUnknown(report, build, ['command', 'workdir', 'watch'], at);
  const raw = own(build, 'command');
  let command: string | undefined;
  if (typeof raw === 'string') command = raw;
  // Spin also takes a list of commands, run in order.
  else if (Array.isArray(raw) && raw.length > 0 && raw.every((c) => typeof c === 'string')) command = raw.join(' && ');
  else if (raw === undefined) report.error('missing-field', at, '`[build]` needs a `command`');
  else wrongType(report, [...at, 'command'], 'a string or a list of strings', raw);
  const workdir = readString(report, build, 'workdir', at);
  const watch = readStringList(report, build, 'watch', at);
  if (command === undefined) return undefined;
  const config: BuildConfig = { command, watch };
  if (workdir !== undefined) config.workdir = workdir;
  return config;
}

