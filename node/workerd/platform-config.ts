/**
 * The wrangler configuration of the hosted platform worker for one domain: the playground and
 * its API at the apex (a custom domain), app previews and published apps at `*.<domain>` (a
 * wildcard route), the R2 bucket of published apps, key-value Durable Objects, the Worker
 * Loader and the per-client publish rate limit. Paths are relative to the output folder.
 */
import { COMPATIBILITY_DATE, COMPATIBILITY_FLAGS } from '../../worker/compatibility.ts';
import { PUBLISH_RATE_PERIOD_SECONDS } from '../../worker/api/publish-rate.ts';
import { OUTBOUND_RATE_PERIOD_SECONDS } from '../../worker/outbound-rate.ts';
import { TwirlError } from '../../shared/errors.ts';

export interface PlatformConfigOptions {
  /** The playground's host, e.g. `example.dev` or `play.example.dev`. */
  domain: string;
  /** The Cloudflare zone the domain is in; default: its last two labels. */
  zone?: string;
  /** Worker name (default `twirl`). */
  name?: string;
  /** R2 bucket of published apps (default `twirl-apps`). */
  bucket?: string;
  /** False for accounts without Worker Loader: published apps are then refused with a 503. */
  workerLoader?: boolean;
  /** Publishes per client address per minute (default 10); 0 leaves publishing, and previews' outbound calls, unlimited (accounts without rate limiters). */
  publishesPerMinute?: number;
  /** Upper bound of a published archive in bytes; default the worker's own (25 MiB). */
  maxArchiveBytes?: number;
}

/** The folders inside the output folder. */
export const PLATFORM_LAYOUT = { worker: 'worker', assets: 'web', config: 'wrangler.json' } as const;

/** Cloudflare's rate-limit bindings are named by an account-unique number; this one is Twirl's publish limit. */
const PUBLISH_RATE_NAMESPACE = '1801';
/** The previews' outbound relay (worker/outbound-relay.ts): calls per client address per minute. */
const OUTBOUND_RATE_NAMESPACE = '1802';
export const OUTBOUND_CALLS_PER_MINUTE = 300;

export function checkDomain(domain: string): string {
  const host = domain.trim().toLowerCase().replace(/\.$/, '');
  if (!/^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/.test(host)) {
    throw new TwirlError('bad-domain', `--domain ${JSON.stringify(domain)} is not a host name like example.dev (no scheme, port or path)`);
  }
  return host;
}

export const zoneOf = (domain: string): string => domain.split('.').slice(-2).join('.');

export function platformConfig(options: PlatformConfigOptions): Record<string, unknown> {
  const domain = checkDomain(options.domain);
  const zone = options.zone ?? zoneOf(domain);
  const perMinute = options.publishesPerMinute ?? 10;
  return {
    name: options.name ?? 'twirl',
    main: `${PLATFORM_LAYOUT.worker}/index.js`,
    compatibility_date: COMPATIBILITY_DATE,
    compatibility_flags: COMPATIBILITY_FLAGS,
    // Built already (platform-build.ts): the bundle and its data modules go up as they are.
    no_bundle: true,
    find_additional_modules: true,
    base_dir: PLATFORM_LAYOUT.worker,
    workers_dev: false,
    routes: [
      { pattern: domain, custom_domain: true },
      { pattern: `*.${domain}/*`, zone_name: zone },
    ],
    vars: {
      TWIRL_DOMAIN: domain,
      ...(options.maxArchiveBytes ? { MAX_ARCHIVE_BYTES: String(options.maxArchiveBytes) } : {}),
    },
    assets: {
      directory: PLATFORM_LAYOUT.assets,
      binding: 'ASSETS',
      // Every request goes through the worker first: which files a host may see depends on the host.
      run_worker_first: true,
      not_found_handling: 'single-page-application',
    },
    r2_buckets: [{ binding: 'APPS', bucket_name: options.bucket ?? 'twirl-apps' }],
    durable_objects: { bindings: [{ name: 'KEY_VALUE', class_name: 'KeyValueObject' }] },
    migrations: [{ tag: 'v1', new_sqlite_classes: ['KeyValueObject'] }],
    ...(options.workerLoader === false ? {} : { worker_loaders: [{ binding: 'LOADER' }] }),
    ...(perMinute > 0
      ? {
          ratelimits: [
            { name: 'PUBLISH_RATE_LIMIT', namespace_id: PUBLISH_RATE_NAMESPACE, simple: { limit: perMinute, period: PUBLISH_RATE_PERIOD_SECONDS } },
            { name: 'OUTBOUND_RATE_LIMIT', namespace_id: OUTBOUND_RATE_NAMESPACE, simple: { limit: OUTBOUND_CALLS_PER_MINUTE, period: OUTBOUND_RATE_PERIOD_SECONDS } },
          ],
        }
      : {}),
  };
}

/** What the playground's build needs to know of where it is served (web/README.md). */
export function playgroundBuildEnv(domain: string): Record<string, string> {
  const host = checkDomain(domain);
  return { VITE_TWIRL_PREVIEW_ORIGIN: `https://{app}.${host}`, VITE_TWIRL_API: `https://${host}` };
}
