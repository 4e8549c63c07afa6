import { ManifestError, type Diagnostic } from '../errors.ts';
import { Report } from './report.ts';
import { readManifestV1 } from './parse-v1.ts';
import { readManifestV2 } from './parse-v2.ts';
import { SourceMap } from './source-map.ts';
import { parseToml, type TomlTable } from './toml.ts';
import type { App } from './types.ts';
import { validateApp, type ValidateOptions } from './validate.ts';

export type ParseOptions = ValidateOptions;

/**
 * Reads a `spin.toml` of either version into an App. Never throws for a user's mistake: every
 * problem is a diagnostic, and `app` is absent when any of them is an error. Give
 * `options.variables` to also require a value for each required variable.
 */
export function parseManifest(text: string, file = 'spin.toml', options: ParseOptions = {}): { app?: App; diagnostics: Diagnostic[] } {
  const { table, diagnostic } = parseToml(text, file);
  if (!table) return { diagnostics: diagnostic ? [diagnostic] : [] };
  const report = new Report(file, SourceMap.scan(text));
  const read = chooseReader(report, table);
  if (!read) return { diagnostics: report.diagnostics };
  const draft = read(report, table);
  validateApp(report, draft, options);
  if (report.hasErrors()) return { diagnostics: report.diagnostics };
  draft.app.warnings = report.diagnostics.filter((d) => d.severity === 'warning');
  return { app: draft.app, diagnostics: report.diagnostics };
}

/**
 * What hosts call: the App, or a `ManifestError` carrying the error diagnostics. A required
 * variable must have a value in `options.variables` (e.g. from `SPIN_VARIABLE_*`).
 */
export function loadManifest(text: string, file = 'spin.toml', options: { variables?: Record<string, string> } = {}): App {
  const { app, diagnostics } = parseManifest(text, file, { variables: options.variables ?? {} });
  if (!app) throw new ManifestError(diagnostics.filter((d) => d.severity === 'error'));
  return app;
}

function chooseReader(report: Report, doc: TomlTable): typeof readManifestV2 | undefined {
  const manifestVersion = Object.hasOwn(doc, 'spin_manifest_version') ? doc.spin_manifest_version : undefined;
  const spinVersion = Object.hasOwn(doc, 'spin_version') ? doc.spin_version : undefined;
  if (manifestVersion === 2 && spinVersion === undefined) return readManifestV2;
  if ((spinVersion === '1' && manifestVersion === undefined) || (manifestVersion === '1' && spinVersion === undefined)) {
    return readManifestV1;
  }
  const found = manifestVersion !== undefined ? `spin_manifest_version = ${JSON.stringify(manifestVersion)}` : spinVersion !== undefined ? `spin_version = ${JSON.stringify(spinVersion)}` : 'no version';
  const path = manifestVersion !== undefined ? ['spin_manifest_version'] : spinVersion !== undefined ? ['spin_version'] : [];
  report.error('unknown-version', path, `unsupported manifest version (${found}): expected \`spin_manifest_version = 2\` or Spin 1's \`spin_version = "1"\``);
  return undefined;
}
