/**
 * The hosted platform as `npm run deploy:platform -- --dry-run` writes it, run on workerd: the
 * bindings come from its wrangler.json through wrangler's own translation to miniflare options,
 * the modules from its worker folder, the assets from its web folder served worker-first as
 * deployed. Requests are dispatched with any URL, so Host is the production one.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Miniflare, type MiniflareOptions } from 'miniflare';
import { unstable_getMiniflareWorkerOptions } from 'wrangler';
import { bundleModules } from '../../../node/workerd/miniflare-modules.ts';
import { PLATFORM_LAYOUT } from '../../../node/workerd/platform-config.ts';

export interface HostedPlatform {
  fetch(url: string, init?: RequestInit): Promise<Response>;
  /** With `listen`: where it serves (HTTPS on loopback, miniflare's own certificate for `localhost`). */
  url?: URL;
  stop(): Promise<void>;
}

/** `listen`: serve HTTPS on a free loopback port too, for a browser (as deployed, the pages' origins are https). */
export async function startHosted(outDir: string, configFile: string = PLATFORM_LAYOUT.config, listen = false): Promise<HostedPlatform> {
  const { workerOptions } = unstable_getMiniflareWorkerOptions(join(outDir, configFile));
  const state = await mkdtemp(join(tmpdir(), 'twirl-hosted-test-'));
  const mf = new Miniflare({
    ...workerOptions,
    name: 'twirl',
    ...(await bundleModules(join(outDir, PLATFORM_LAYOUT.worker))),
    assets: {
      directory: join(outDir, PLATFORM_LAYOUT.assets),
      binding: 'ASSETS',
      routerConfig: { has_user_worker: true, invoke_user_worker_ahead_of_assets: true },
      assetConfig: { not_found_handling: 'single-page-application' },
    },
    durableObjectsPersist: join(state, 'key-value'),
    r2Persist: join(state, 'published'),
    ...(listen ? { host: '127.0.0.1', port: 0, https: true } : {}),
  } as MiniflareOptions);
  const url = await mf.ready;
  return {
    ...(listen ? { url } : {}),
    fetch: async (url, init) => {
      const res = await mf.dispatchFetch(url, { redirect: 'manual', ...init } as never);
      return res as unknown as Response;
    },
    async stop() {
      await mf.dispose();
      await rm(state, { recursive: true, force: true });
    },
  };
}
