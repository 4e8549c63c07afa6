/** The platform worker as miniflare options: built once per content into a cache folder, so concurrent runs never share a half-written build. */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkerOptions } from 'miniflare';
import { buildPlatformWorker } from './platform-build.ts';
import { buildIsolates } from './isolates-build.ts';
import { COMPATIBILITY_DATE, COMPATIBILITY_FLAGS } from '../../worker/compatibility.ts';
import { bundleModules } from './miniflare-modules.ts';
import { OUTBOUND_CALLS_PER_MINUTE } from './platform-config.ts';
import { OUTBOUND_RATE_PERIOD_SECONDS } from '../../worker/outbound-rate.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const cacheRoot = join(repoRoot, 'node_modules', '.cache', 'twirl', 'platform-worker');
const defaultAssetsDir = join(repoRoot, 'dist', 'web');

let built: Promise<string> | undefined;

async function platformBuild(): Promise<string> {
  const isolates = await buildIsolates();
  // The platform's own sources change the build as well; esbuild is quick, so build to a staging folder and hash that.
  const staging = join(cacheRoot, `staging-${process.pid}-${Date.now()}`);
  await mkdir(cacheRoot, { recursive: true });
  await buildPlatformWorker(staging);
  const hash = createHash('sha256').update(await readFile(join(staging, 'index.js'))).update(isolates.transpiler.id).digest('hex').slice(0, 16);
  const dir = join(cacheRoot, hash);
  if (await stat(dir).catch(() => undefined)) await rm(staging, { recursive: true, force: true });
  else await rename(staging, dir).catch(() => rm(staging, { recursive: true, force: true }));
  return dir;
}

/** `assetsDir`: the built playground; without one there, the worker serves its API alone. */
export async function platformWorkerOptions(extraBindings: Record<string, string> = {}, assetsDir = defaultAssetsDir): Promise<WorkerOptions & { name: string }> {
  built ??= platformBuild();
  const dir = await built;
  const hasAssets = (await stat(assetsDir).catch(() => undefined))?.isDirectory() ?? false;
  return {
    name: 'twirl',
    ...(await bundleModules(dir)),
    compatibilityDate: COMPATIBILITY_DATE,
    compatibilityFlags: COMPATIBILITY_FLAGS,
    // The host npm start's playground moves to (web/app/playground-host.ts): previews and published apps get its subdomains, as deployed.
    // On the user's own machine, previews may call what their manifest names there (`http://127.0.0.1:3000`, the sample).
    bindings: { TWIRL_DOMAIN: 'twirl.localhost', OUTBOUND_PRIVATE_NETWORK: 'allow', ...extraBindings },
    ratelimits: { OUTBOUND_RATE_LIMIT: { simple: { limit: OUTBOUND_CALLS_PER_MINUTE, period: OUTBOUND_RATE_PERIOD_SECONDS } } },
    r2Buckets: { APPS: 'twirl-apps' },
    durableObjects: { KEY_VALUE: { className: 'KeyValueObject', useSQLite: true } },
    workerLoaders: { LOADER: {} },
    ...(hasAssets
      ? {
          assets: {
            directory: assetsDir,
            binding: 'ASSETS',
            // Worker first, as deployed (platform-config.ts): which files a host may see depends on the host.
            routerConfig: { has_user_worker: true, invoke_user_worker_ahead_of_assets: true },
            assetConfig: { not_found_handling: 'single-page-application' },
          },
        }
      : {}),
  };
}
