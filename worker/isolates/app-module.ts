/**
 * The `app.js` module an app's isolate imports: the App, each component's glue and core modules,
 * and the mounted files. The same source serves a deployed bundle (modules on disk, uploaded by
 * wrangler) and a published app (modules handed to the Worker Loader).
 */
import type { App } from '../../shared/manifest/types.ts';
import type { ComponentKind } from '../../shared/component/prepare.ts';

export interface AppModulePlan {
  app: App;
  components: Array<{
    id: string;
    kind: ComponentKind;
    /** Module name of the component's glue (ES module exporting `instantiate`). */
    glue: string;
    /** The glue's core module file name → module name of the Wasm module. */
    modules: Record<string, string>;
  }>;
  /** App-relative file path → module name of its bytes (a Data module). */
  files: Record<string, string>;
}

/** Module names under which a component's prepared output is placed. */
export function componentModuleNames(index: number, coreModules: string[]): { glue: string; modules: Record<string, string> } {
  const dir = `components/${index}`;
  return { glue: `${dir}/component.js`, modules: Object.fromEntries(coreModules.map((name) => [name, `${dir}/${name}`])) };
}

/** Module name for the n-th mounted file; data modules are named `.bin` so no rule mistakes them for code. */
export const fileModuleName = (index: number): string => `files/${index}.bin`;

/** Source of `app.js`, with imports relative to it (it sits at the root of the module tree). */
export function appModuleSource(plan: AppModulePlan): string {
  const lines: string[] = [];
  const components: string[] = [];
  plan.components.forEach((component, i) => {
    lines.push(`import * as glue${i} from ${JSON.stringify(`./${component.glue}`)};`);
    const modules = Object.entries(component.modules).map(([name, moduleName], j) => {
      lines.push(`import core${i}_${j} from ${JSON.stringify(`./${moduleName}`)};`);
      return `${JSON.stringify(name)}: core${i}_${j}`;
    });
    components.push(`{ id: ${JSON.stringify(component.id)}, kind: ${JSON.stringify(component.kind)}, instantiate: glue${i}.instantiate, modules: { ${modules.join(', ')} } }`);
  });
  const files = Object.entries(plan.files).map(([path, moduleName], i) => {
    lines.push(`import file${i} from ${JSON.stringify(`./${moduleName}`)};`);
    return `[${JSON.stringify(path)}, file${i}]`;
  });
  lines.push(`export const app = ${JSON.stringify(plan.app)};`);
  lines.push(`export const components = [${components.join(',\n  ')}];`);
  lines.push(`export const files = [${files.join(',\n  ')}];`);
  return lines.join('\n') + '\n';
}
