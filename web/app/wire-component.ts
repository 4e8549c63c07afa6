/** Wiring an uploaded component into the manifest: a component table and a route, unless one already names it. */
import { parseManifest } from '../../shared/manifest/parse.ts';

export function wireComponent(manifest: string, sourcePath: string): string {
  const { app } = parseManifest(manifest);
  if (app && Object.values(app.components).some((c) => 'path' in c.source && c.source.path.replace(/^\.\//, '') === sourcePath)) return manifest;
  const base = sourcePath.split('/').pop()!.replace(/\.wasm$/, '');
  const kebab = base.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  const id = /^[a-z]/.test(kebab) ? kebab : `c-${kebab || 'uploaded'}`;
  const taken = new Set(Object.keys(app?.components ?? {}));
  let unique = id;
  for (let n = 2; taken.has(unique); n++) unique = `${id}-${n}`;
  const route = Object.keys(app?.components ?? {}).length === 0 ? '/...' : `/${unique}/...`;
  return `${manifest.trimEnd()}\n\n[[trigger.http]]\nroute = "${route}"\ncomponent = "${unique}"\n\n[component.${unique}]\nsource = "${sourcePath}"\n`;
}
