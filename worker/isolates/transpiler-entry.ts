/**
 * Entry of the transpiler isolate: jco's bindgen (itself a Wasm component) splits a component
 * into core modules and glue. It runs in a loader isolate because workerd compiles Wasm only from
 * modules: the platform worker passes the bindgen's core modules in as such.
 */
import { WorkerEntrypoint } from 'cloudflare:workers';
import type { TranspiledComponent } from '../../shared/component/prepare.ts';
import { messageOf } from '../../shared/errors.ts';
import { PUBLISHED_MAX_MEMORY_BYTES } from '../published/limits.ts';

export default class Transpiler extends WorkerEntrypoint {
  async transpile(bytes: Uint8Array): Promise<TranspiledComponent | { error: { code: string; message: string } }> {
    // The bindgen initialises when its module is evaluated, drawing random bytes, which workerd
    // forbids at global scope: load it on the first call.
    const { transpileComponent } = await import('../../shared/component/prepare.ts');
    try {
      // Tracked writes make a JS engine module ~45% larger, and the result must fit workerd's
      // 32 MiB limit on an RPC's value: the platform worker adds the tracking (prepared.ts).
      return await transpileComponent(bytes, 'component', { trackWrites: false, maxMemoryBytes: PUBLISHED_MAX_MEMORY_BYTES });
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      return { error: { code: typeof code === 'string' ? code : 'invalid-component', message: messageOf(err) } };
    }
  }

  override async fetch(): Promise<Response> {
    return new Response(null, { status: 404 });
  }
}
