/** Bindings of the platform worker (wrangler.toml at the repository root). */
import type { KeyValueObject } from './key-value-object.ts';

export interface PlatformEnv {
  /** Published archives (`apps/<digest>.zip`) and prepared components (`prepared/<transpiler>/<sha256>`). */
  APPS: R2Bucket;
  KEY_VALUE: DurableObjectNamespace<KeyValueObject>;
  LOADER: WorkerLoader;
  /** The playground's built assets; absent when there are none. */
  ASSETS?: Fetcher;
  /** Upper bound of a published archive, in bytes (default 25 MB). */
  MAX_ARCHIVE_BYTES?: string;
}

declare global {
  namespace Cloudflare {
    interface GlobalProps {
      mainModule: typeof import('./index.ts');
    }
  }
}
