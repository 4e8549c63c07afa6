/**
 * Published apps run in isolates made by a Worker Loader binding (`LOADER`), which not every
 * Cloudflare account has. Without it, publishing and running them is refused with a 503 that
 * names the binding and the page on what to do — never a failure deeper down.
 */
import { TwirlError } from '../shared/errors.ts';
import type { PlatformEnv } from './env.ts';

/** The page, in Twirl's repository, on running the platform without Worker Loader. */
export const HOSTING_DOC = 'docs/hosting.md#accounts-without-worker-loader';

export function requireWorkerLoader(env: PlatformEnv): void {
  if ((env as Partial<PlatformEnv>).LOADER) return;
  throw new TwirlError(
    'worker-loader-unavailable',
    `published apps need the Worker Loader binding LOADER ([[worker_loaders]] in the wrangler configuration), which this deployment does not have; the playground, previews and share links that carry the app in the URL still work. See ${HOSTING_DOC}`,
  );
}

/** What `GET /api` reports, so an operator can see after a deploy whether publishing works. */
export const publishingStatus = (env: PlatformEnv): string => ((env as Partial<PlatformEnv>).LOADER ? 'available' : 'unavailable: no Worker Loader binding (LOADER)');
