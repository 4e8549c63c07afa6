/** Finding and reading the app a command works on: `-f <dir|spin.toml>`, or `spin.toml` here. */
import { readFile, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { ManifestError, formatDiagnostic } from '../shared/errors.ts';
import { parseManifest } from '../shared/manifest/parse.ts';
import type { App } from '../shared/manifest/types.ts';
import { CliError, printWarnings, twirlCommand } from './output.ts';

/** Warnings already printed: `up --build` and `watch` read the manifest more than once. */
const warned = new Set<string>();

export interface AppLocation {
  /** The folder paths in the manifest are relative to. */
  appDir: string;
  manifestPath: string;
}

/** Resolves `-f` (a folder or a manifest file; the current folder when absent) to a manifest that exists. */
export async function locateApp(file: string | undefined): Promise<AppLocation> {
  const target = resolve(file ?? '.');
  const info = await stat(target).catch(() => undefined);
  if (!info) throw new CliError(`${file ?? target} does not exist`, 'no-manifest');
  const manifestPath = info.isDirectory() ? join(target, 'spin.toml') : target;
  if (!(await stat(manifestPath).catch(() => undefined))?.isFile()) {
    throw new CliError(`no spin.toml in ${target}; run \`${twirlCommand()} new\` or pass -f`, 'no-manifest');
  }
  return { appDir: dirname(manifestPath), manifestPath };
}

/**
 * Reads and validates the manifest, printing its warnings. With `variables`, each required
 * variable must have a value there (as `up` needs); without, required variables are not checked.
 */
export async function readApp(location: AppLocation, variables?: Record<string, string>): Promise<App> {
  const text = await readFile(location.manifestPath, 'utf8');
  const shown = relative(process.cwd(), location.manifestPath) || location.manifestPath;
  const { app, diagnostics } = parseManifest(text, shown, variables ? { variables } : {});
  if (!app) throw new ManifestError(diagnostics.filter((d) => d.severity === 'error'));
  const fresh = app.warnings.filter((w) => !warned.has(formatDiagnostic(w)));
  for (const w of fresh) warned.add(formatDiagnostic(w));
  printWarnings(fresh);
  return app;
}
