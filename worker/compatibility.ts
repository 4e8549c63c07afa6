/**
 * The workerd behaviour every Twirl worker asks for. JSPI (`WebAssembly.Suspending`) and
 * `ctx.exports` need no flags from this date on.
 */
export const COMPATIBILITY_DATE = '2026-04-01';
export const COMPATIBILITY_FLAGS: string[] = [];
