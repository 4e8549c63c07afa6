/**
 * A template's component initialised on its world's engine without the bindings' warm-up
 * (shared/build/bindings-warm-up.ts): the `profile` section sets it beside the built one.
 */
import { join } from 'node:path';
import { featuresFor, initializeState } from '../shared/build/js-engine-init.ts';
import { componentWithState } from '../shared/build/snapshot-component.ts';
import { bundleEntry } from '../node/toolchain/bundle.ts';
import { worldEngineFor } from '../node/toolchain/preinit-node.ts';
import { builtTemplate } from '../node/templates/built-template.ts';

export async function withoutWarmUp(template: string, id: string, entry = 'src/index.js'): Promise<Uint8Array> {
  const built = await builtTemplate(template);
  const bundle = await bundleEntry(join(built.dir, entry));
  const { engine } = await worldEngineFor(bundle, built.components[id]!);
  return componentWithState(engine.reference, await initializeState(engine.spliced, bundle.code, featuresFor(bundle.code), { warmUp: false }));
}
