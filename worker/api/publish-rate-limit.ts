/**
 * Publishing stores an archive and transpiles its components — the platform's most expensive
 * request. With a rate-limit binding (`PUBLISH_RATE_LIMIT`), each client address gets a budget
 * of publishes per period; over it, 429 with `Retry-After`.
 */
import type { MiddlewareHandler } from 'hono';
import { TwirlError } from '../../shared/errors.ts';
import type { PlatformEnv } from '../env.ts';
import { errorResponse } from './errors.ts';
import { PUBLISH_RATE_PERIOD_SECONDS } from './publish-rate.ts';
import { limitsOf } from '../published/limits.ts';
import { discardBody } from './read-body.ts';

export const publishRateLimit: MiddlewareHandler<{ Bindings: PlatformEnv }> = async (c, next) => {
  const limiter = c.env.PUBLISH_RATE_LIMIT;
  if (limiter) {
    // Set by Cloudflare's edge (and by miniflare); a request without it shares one budget with the others that lack it.
    const client = c.req.header('cf-connecting-ip') ?? 'unknown';
    const { success } = await limiter.limit({ key: `publish:${client}` });
    if (!success) {
      await discardBody(c.req.raw, limitsOf(c.env).maxArchiveBytes);
      const refused = errorResponse(new TwirlError('rate-limited', `too many apps published from ${client}; try again in ${PUBLISH_RATE_PERIOD_SECONDS} seconds`));
      refused.headers.set('retry-after', String(PUBLISH_RATE_PERIOD_SECONDS));
      return refused;
    }
  }
  await next();
};
