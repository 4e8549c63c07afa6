/** Bindings of the platform worker (wrangler.toml at the repository root). */
import type { KeyValueObject } from './key-value-object.ts';

export interface PlatformEnv {
  /** Published archives (`apps/<digest>.zip`) and prepared components (`prepared/<transpiler>/<sha256>`). */
  APPS: R2Bucket;
  KEY_VALUE: DurableObjectNamespace<KeyValueObject>;
  /** Absent on accounts without Worker Loader: published apps are then refused (loader-required.ts). */
  LOADER: WorkerLoader;
  /** The playground's built assets; absent when there are none. */
  ASSETS?: Fetcher;
  /** Upper bound of a published archive, in bytes (default 25 MB). */
  MAX_ARCHIVE_BYTES?: string;
  /** JSON object of per-request limits every published app runs with (`maxHostCalls`, `fuel`, `cpuMs`, `timeoutMs`, …); unset fields keep the engine's defaults. */
  TWIRL_LIMITS?: string;
  /** The playground's domain (`example.dev`): previews at `<app>.<domain>`, published apps at `<digest>.<domain>` (hosts.ts). */
  TWIRL_DOMAIN?: string;
  /** Publishes per client address and period (Cloudflare's rate-limit binding); without it, publishing is not rate limited. */
  PUBLISH_RATE_LIMIT?: RateLimit;
  /** Outbound calls relayed for previews, per client address and period; without it, not rate limited. */
  OUTBOUND_RATE_LIMIT?: RateLimit;
  /** `allow` where the platform runs on the user's own machine: previews' outbound calls may then reach private networks their manifest names. */
  OUTBOUND_PRIVATE_NETWORK?: string;
  /** Set only by a local run: the secret before the client address its front adds to each request (isolates/peer-address.ts). */
  TWIRL_PEER_SECRET?: string;
}

declare global {
  namespace Cloudflare {
    interface GlobalProps {
      mainModule: typeof import('./index.ts');
    }
  }
}
