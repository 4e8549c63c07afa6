/** The period of the publish rate limit (`simple.period` of the binding; Cloudflare allows 10 or 60 seconds), shared with the wrangler configuration's writer. */
export const PUBLISH_RATE_PERIOD_SECONDS = 60;
