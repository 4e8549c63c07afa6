/**
 * Entry of a published app's isolate, started by the platform worker's Worker Loader. Its only
 * ways out are the bindings the platform hands it: a key-value gate fixed to this app, and a
 * global outbound gate that lets through only the app's allowed hosts.
 */
import * as appModule from './app.js';
import { RpcKeyValueBackend, type KeyValueRpc } from '../key-value-backend.ts';
import { lazyRetrying, type Lazy } from '../../shared/lazy.ts';
import type { Engine } from '../../shared/engine.ts';
import type { Limits } from '../../shared/limits.ts';
import { createEngine, serve } from './app-host.ts';

interface PublishedEnv {
  KEY_VALUE: KeyValueRpc;
  /** The platform operator's per-request limits (JSON), the same for every published app. */
  TWIRL_LIMITS?: string;
  /** Under `npm start`: the secret before the client address the platform passes on (peer-address.ts). */
  TWIRL_PEER_SECRET?: string;
}

/** What the platform tells the isolate with each request. */
export interface PublishedProps {
  /** The path prefix the app is served under (`/a/<digest>`, or empty): the app sees itself at `/`. */
  mount: string;
}

let engine: Lazy<Engine> | undefined;

/** The request's URL as the app sees it, without the prefix it is served under. */
function appUrl(request: Request, mount: string | undefined): URL {
  const url = new URL(request.url);
  if (mount) url.pathname = url.pathname.slice(mount.length) || '/';
  return url;
}

export default {
  async fetch(request: Request, env: PublishedEnv, ctx: ExecutionContext<PublishedProps | undefined>): Promise<Response> {
    // One engine per isolate, made on the first request (env is only known then); a failed start is retried by the next.
    engine ??= lazyRetrying(() =>
      createEngine(appModule, {
        keyValue: new RpcKeyValueBackend(env.KEY_VALUE),
        variables: {},
        environment: {},
        limits: env.TWIRL_LIMITS ? (JSON.parse(env.TWIRL_LIMITS) as Partial<Limits>) : {},
      }),
    );
    return serve(engine, request, env.TWIRL_PEER_SECRET, appUrl(request, ctx.props?.mount));
  },
} satisfies ExportedHandler<PublishedEnv, unknown, unknown, PublishedProps | undefined>;
