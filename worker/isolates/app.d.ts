/** Types of the generated `app.js` (see app-module.ts); the isolate entries import it. */
import type { App } from '../../shared/manifest/types.ts';
import type { ComponentKind } from '../../shared/component/prepare.ts';
import type { GlueInstantiate } from '../../shared/component/instantiate.ts';
import type { SourceMapJson } from '../../shared/build/source-map.ts';

export declare const app: App;
export declare const components: Array<{
  id: string;
  kind: ComponentKind;
  instantiate: GlueInstantiate;
  modules: Record<string, WebAssembly.Module>;
  /** Core module name → its component's snapshot of the engine that module is (data modules). */
  snapshots: Record<string, { engine: string; snapshot: ArrayBuffer; pages: ArrayBuffer }>;
  /** Maps a JS component's `bundle.js` back to the app's files (as its build kept it). */
  sourceMap?: SourceMapJson;
}>;
export declare const files: Array<[string, ArrayBuffer]>;
