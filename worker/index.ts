/**
 * The platform worker: the playground's assets, the JSON API, and published apps run by digest.
 * Deployed apps do not pass through here: each is a worker of its own (bundle.ts).
 */
import { Hono, type Context } from 'hono';
import type { PlatformEnv } from './env.ts';
import { appsApi } from './api/apps.ts';
import { errorResponse } from './api/errors.ts';
import { runPublishedApp } from './published/run.ts';
import { TwirlError } from '../shared/errors.ts';

export { KeyValueObject } from './key-value-object.ts';
export { KeyValueGate, OutboundGate } from './gates.ts';

const platform = new Hono<{ Bindings: PlatformEnv }>();

platform.get('/api', (c) => c.json({ name: 'twirl', endpoints: ['POST /api/apps', 'GET /api/apps/<digest>', '/a/<digest>/<route>'] }));
platform.route('/api/apps', appsApi);

const runPublished = (c: Context<{ Bindings: PlatformEnv }>) =>
  runPublishedApp(c.env, c.executionCtx as ExecutionContext, c.req.param('digest')!, c.req.raw);
platform.all('/a/:digest{[0-9a-f]{64}}', runPublished);
platform.all('/a/:digest{[0-9a-f]{64}}/*', runPublished);

platform.notFound((c) => {
  if (c.env.ASSETS && !c.req.path.startsWith('/api/')) return c.env.ASSETS.fetch(c.req.raw);
  return errorResponse(new TwirlError('not-found', `nothing at ${c.req.method} ${c.req.path}`));
});
platform.onError((err) => errorResponse(err));

export default platform;
