/**
 * The platform worker: the playground's assets, the JSON API, app previews' origins and
 * published apps, told apart by Host (hosts.ts). Deployed apps do not pass through here: each
 * is a worker of its own (node/workerd/bundle.ts).
 */
import { Hono, type Context } from 'hono';
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

/** Each request's client address, as the local front gave it (absent deployed). */
const clientAddrs = new WeakMap<Request, string>();

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

const runPublished = (c: Context<Env>) => {
  const digest = c.req.param('digest')!;
  const domain = c.env.TWIRL_DOMAIN || undefined;
  // On the playground's own domain, an app's pages must not run with the playground's origin: send them to the app's.
  const own = publishedAppUrl(c.req.url, digest, domain);
  if (!own.endsWith(`/a/${digest}/`)) {
    const url = new URL(c.req.url);
    return c.redirect(new URL(url.pathname.slice(`/a/${digest}/`.length) + url.search, own).href, 308);
  }
  requireWorkerLoader(c.env);
  return runPublishedApp(c.env, c.executionCtx as ExecutionContext, digest, c.req.raw, clientAddrs.get(c.req.raw));
};
playground.all('/a/:digest{[0-9a-f]{64}}', runPublished);
playground.all('/a/:digest{[0-9a-f]{64}}/*', runPublished);

playground.notFound((c) => {
  if (!c.req.path.startsWith('/api/')) return playgroundAsset(c.env, c.req.raw);
  return errorResponse(new TwirlError('not-found', `nothing at ${c.req.method} ${c.req.path}`));
});
playground.onError((err) => errorResponse(err));

/** A published app on its own origin: the same run as under `/a/<digest>/`, the app still seeing itself at `/`. */
async function publishedSite(env: PlatformEnv, ctx: ExecutionContext, digest: string, request: Request): Promise<Response> {
  try {
    requireWorkerLoader(env);
    const url = new URL(request.url);
    url.pathname = `/a/${digest}${url.pathname}`;
    return await runPublishedApp(env, ctx, digest, new Request(url, request), clientAddrs.get(request));
  } catch (err) {
    return errorResponse(err);
  }
}

export default {
  fetch(received, env, ctx) {
    // The local front's client address is checked and taken off here; only a published app's isolate is told it again.
    const { request, clientAddr } = peerAddress(received, env.TWIRL_PEER_SECRET);
    clientAddrs.set(request, clientAddr);
    const site = siteOf(new URL(request.url).hostname, env.TWIRL_DOMAIN || undefined);
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
