/**
 * The platform worker: the playground's assets, the JSON API, app previews' origins and
 * published apps, told apart by Host (hosts.ts). Deployed apps do not pass through here: each
 * is a worker of its own (node/workerd/bundle.ts).
 */
import { Hono } from 'hono';
import type { PlatformEnv } from './env.ts';
import { appsApi } from './api/apps.ts';
import { errorResponse } from './api/errors.ts';
import { publishRateLimit } from './api/publish-rate-limit.ts';
import { discardBody } from './api/read-body.ts';
import { playgroundAsset, previewAsset } from './assets.ts';
import { publishedAppUrl, siteOf } from './hosts.ts';
import { relayOutbound } from './outbound-relay.ts';
import { OUTBOUND_RELAY_PATH } from '../shared/host/outbound-relay.ts';
import { publishingStatus, requireWorkerLoader } from './loader-required.ts';
import { runPublishedApp } from './published/run.ts';
import { limitsOf } from './published/limits.ts';
import { TwirlError } from '../shared/errors.ts';
import { peerAddress } from './isolates/peer-address.ts';

export { KeyValueObject } from './key-value-object.ts';
export { KeyValueGate, OutboundGate } from './gates.ts';

type Env = { Bindings: PlatformEnv };

const playground = new Hono<Env>();

playground.get('/api', (c) =>
  c.json({ name: 'twirl', endpoints: ['POST /api/apps', 'GET /api/apps/<digest>', '/a/<digest>/<route>'], publishing: publishingStatus(c.env) }),
);
playground.post('/api/apps', publishRateLimit, async (c, next) => {
  if (!c.env.LOADER) await discardBody(c.req.raw, limitsOf(c.env).maxArchiveBytes);
  requireWorkerLoader(c.env);
  await next();
});
playground.route('/api/apps', appsApi);

playground.notFound((c) => {
  if (!c.req.path.startsWith('/api/')) return playgroundAsset(c.env, c.req.raw);
  return errorResponse(new TwirlError('not-found', `nothing at ${c.req.method} ${c.req.path}`));
});
playground.onError((err) => errorResponse(err));

/** `/a/<digest>` and below, on the playground's host: a published app, told apart before the playground's router (its run is the hot path). */
const publishedPath = /^\/a\/([0-9a-f]{64})(?:\/|$)/;

async function publishedUnderPlayground(env: PlatformEnv, ctx: ExecutionContext, digest: string, request: Request, url: URL): Promise<Response> {
  try {
    // On the playground's own domain, an app's pages must not run with the playground's origin: send them to the app's.
    const own = publishedAppUrl(request.url, digest, env.TWIRL_DOMAIN || undefined);
    if (!own.endsWith(`/a/${digest}/`)) return Response.redirect(new URL(url.pathname.slice(`/a/${digest}/`.length) + url.search, own).href, 308);
    requireWorkerLoader(env);
    return await runPublishedApp(env, ctx, digest, request, `/a/${digest}`);
  } catch (err) {
    return errorResponse(err);
  }
}

/** A published app on its own origin: the same run as under `/a/<digest>/`, the app still seeing itself at `/`. */
async function publishedSite(env: PlatformEnv, ctx: ExecutionContext, digest: string, request: Request): Promise<Response> {
  try {
    requireWorkerLoader(env);
    return await runPublishedApp(env, ctx, digest, request, '');
  } catch (err) {
    return errorResponse(err);
  }
}

export default {
  fetch(received, env, ctx) {
    const url = new URL(received.url);
    const site = siteOf(url.hostname, env.TWIRL_DOMAIN || undefined);
    // The local front's header (its secret, the client's address) goes on to a published app's
    // isolate as it came: the isolate holds the secret too, and its engine never shows the header
    // to the app. Anywhere else it is taken off here.
    const published = site.kind === 'playground' ? publishedPath.exec(url.pathname)?.[1] : undefined;
    if (published) return publishedUnderPlayground(env, ctx, published, received, url);
    const request = site.kind === 'published' ? received : peerAddress(received, env.TWIRL_PEER_SECRET).request;
    switch (site.kind) {
      case 'playground':
        return playground.fetch(request, env, ctx);
      case 'preview':
        if (new URL(request.url).pathname === OUTBOUND_RELAY_PATH) return relayOutbound(env, request);
        return previewAsset(env, request);
      case 'published':
        return publishedSite(env, ctx, site.digest, request);
      case 'unknown':
        return errorResponse(new TwirlError('not-found', `${site.host} is neither the playground, an app preview nor a published app`));
    }
  },
} satisfies ExportedHandler<PlatformEnv>;
