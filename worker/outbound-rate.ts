/** The period of the previews' outbound rate limit (`simple.period` of the binding), shared with the wrangler configuration's writer. */
export const OUTBOUND_RATE_PERIOD_SECONDS = 60;
