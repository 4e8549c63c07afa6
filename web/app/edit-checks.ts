/** What the editor tells the user about an app as it changes: manifest problems and edited sources. */
import { parseManifest } from '../../shared/manifest/parse.ts';
import type { VariableDeclaration } from '../../shared/manifest/types.ts';
import { MANIFEST, type StoredApp } from '../app-model.ts';
import { sha256Hex } from '../../shared/digest.ts';
import type { LineDiagnostic } from './code-editor.ts';

export function manifestDiagnostics(app: StoredApp): LineDiagnostic[] {
  const file = app.files[MANIFEST];
  if (!file || !('text' in file)) return [{ line: 1, message: `the app has no ${MANIFEST}`, severity: 'error' }];
  const { diagnostics } = parseManifest(file.text, MANIFEST, { variables: app.variables ?? {} });
  return diagnostics.map((d) => ({
    line: d.line ?? 1,
    ...(d.column !== undefined ? { column: d.column } : {}),
    message: d.field ? `${d.field}: ${d.message}` : d.message,
    severity: d.severity,
  }));
}

/** The manifest's `[variables]`, read leniently (a manifest with errors may still declare them). */
export function declaredVariables(app: StoredApp): Record<string, VariableDeclaration> {
  const file = app.files[MANIFEST];
  if (!file || !('text' in file)) return {};
  return parseManifest(file.text, MANIFEST).app?.variables ?? {};
}

/** Source files changed since their component was built: the preview still runs the old build. */
export async function editedSources(app: StoredApp): Promise<string[]> {
  const edited = new Set<string>();
  for (const file of Object.values(app.files)) {
    if (!('component' in file)) continue;
    for (const [path, digest] of Object.entries(file.component.sources ?? {})) {
      const now = app.files[path];
      if (!now || !('text' in now) || (await sha256Hex(now.text)) !== digest) edited.add(path);
    }
  }
  return [...edited].sort();
}
