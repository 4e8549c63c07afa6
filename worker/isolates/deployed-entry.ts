/** Entry of a deployed app's worker (see node/workerd/bundle.ts): the app at `/`, key-value in this worker's Durable Objects. */
import * as appModule from './app.js';
import { DurableObjectKeyValueBackend } from '../key-value-backend.ts';
import type { KeyValueObject } from '../key-value-object.ts';
import type { Limits } from '../../shared/limits.ts';
import { variablesFromEnvironment } from '../../shared/host/variables.ts';
import { lazyRetrying, type Lazy } from '../../shared/lazy.ts';
import type { Engine } from '../../shared/engine.ts';
import { createEngine, serve } from './app-host.ts';

export { KeyValueObject } from '../key-value-object.ts';

interface DeployedEnv {
  KEY_VALUE: DurableObjectNamespace<KeyValueObject>;
  /** JSON object of environment variables added to every component (`twirl up --env`). */
  TWIRL_ENVIRONMENT?: string;
  /** JSON object of per-request limits (`twirl up --fuel`, `--cpu-ms`, `--host-calls`). */
  TWIRL_LIMITS?: string;
  /** Set by `twirl up` alone: its local front's secret, before the client's `ip:port` (see peer-address.ts). */
  TWIRL_PEER_SECRET?: string;
  [binding: string]: unknown;
}

let engine: Lazy<Engine> | undefined;

export default {
  async fetch(request: Request, env: DeployedEnv): Promise<Response> {
    // One engine per isolate, made on the first request (env is only known then); a failed start is retried by the next.
    engine ??= lazyRetrying(() =>
      createEngine(appModule, {
        keyValue: new DurableObjectKeyValueBackend(env.KEY_VALUE, appModule.app.name),
        // Secrets set with wrangler, as Spin's environment provider names them.
        variables: variablesFromEnvironment(env),
        environment: env.TWIRL_ENVIRONMENT ? (JSON.parse(env.TWIRL_ENVIRONMENT) as Record<string, string>) : {},
        limits: env.TWIRL_LIMITS ? (JSON.parse(env.TWIRL_LIMITS) as Partial<Limits>) : {},
      }),
    );
    return serve(engine, request, env.TWIRL_PEER_SECRET);
  },
} satisfies ExportedHandler<DeployedEnv>;
