/**
 * The `app.js` module an app's isolate imports: the App, each component's glue and core modules,
 * and the mounted files. The same source serves a deployed bundle (modules on disk, uploaded by
 * wrangler) and a published app (modules handed to the Worker Loader).
 */
import type { App } from '../../shared/manifest/types.ts';
import type { ComponentKind } from '../../shared/component/prepare.ts';
import type { SourceMapJson } from '../../shared/build/source-map.ts';

export interface AppModulePlan {
  app: App;
  components: Array<{
    id: string;
    kind: ComponentKind;
    /** Module name of the component's glue (ES module exporting `instantiate`). */
    glue: string;
    /** The glue's core module file name → module name of the Wasm module. */
    modules: Record<string, string>;
    /** Core module file name → the snapshot of the shared engine that module is (absent: none is). */
    snapshots?: Record<string, SnapshotModules>;
    /** A JS component's bundle mapped back to the app's files, as its build kept it: its log lines name those. */
    sourceMap?: SourceMapJson;
  }>;
  /** App-relative file path → module name of its bytes (a Data module). */
  files: Record<string, string>;
}

/** Where a component's snapshot of an engine lies: the engine's digest, and two data modules. */
export interface SnapshotModules {
  engine: string;
  snapshot: string;
  pages: string;
}

/**
 * A module named by its content: a bundle holds each engine, glue or snapshot once, however
 * many components use it.
 */
export function contentModuleName(digest: string, extension: '.wasm' | '.js' | '.bin'): string {
  return `content/${digest.slice(0, 32)}${extension}`;
}

/** Module name for the n-th mounted file; data modules are named `.bin` so no rule mistakes them for code. */
export const fileModuleName = (index: number): string => `files/${index}.bin`;

/** Source of `app.js`, with imports relative to it (it sits at the root of the module tree). */
export function appModuleSource(plan: AppModulePlan): string {
  const lines: string[] = [];
  const components: string[] = [];
  // A module that several components share is imported once.
  const imported = new Map<string, string>();
  const use = (moduleName: string, namespace = false): string => {
    let name = imported.get(moduleName);
    if (!name) {
      name = `m${imported.size}`;
      imported.set(moduleName, name);
      lines.push(`import ${namespace ? `* as ${name}` : name} from ${JSON.stringify(`./${moduleName}`)};`);
    }
    return name;
  };
  for (const component of plan.components) {
    const glue = use(component.glue, true);
    const modules = Object.entries(component.modules).map(([name, moduleName]) => `${JSON.stringify(name)}: ${use(moduleName)}`);
    const snapshots = Object.entries(component.snapshots ?? {}).map(
      ([name, s]) => `${JSON.stringify(name)}: { engine: ${JSON.stringify(s.engine)}, snapshot: ${use(s.snapshot)}, pages: ${use(s.pages)} }`,
    );
    const sourceMap = component.sourceMap ? `, sourceMap: ${JSON.stringify(component.sourceMap)}` : '';
    components.push(
      `{ id: ${JSON.stringify(component.id)}, kind: ${JSON.stringify(component.kind)}, instantiate: ${glue}.instantiate, modules: { ${modules.join(', ')} }, snapshots: { ${snapshots.join(', ')} }${sourceMap} }`,
    );
  }
  const files = Object.entries(plan.files).map(([path, moduleName], i) => {
    lines.push(`import file${i} from ${JSON.stringify(`./${moduleName}`)};`);
    return `[${JSON.stringify(path)}, file${i}]`;
  });
  lines.push(`export const app = ${JSON.stringify(plan.app)};`);
  lines.push(`export const components = [${components.join(',\n  ')}];`);
  lines.push(`export const files = [${files.join(',\n  ')}];`);
  return lines.join('\n') + '\n';
}
