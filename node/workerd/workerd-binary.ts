/**
 * The workerd local workers run on. miniflare 4, the last line that runs on Node 20, pins a
 * workerd whose V8 can sweep its C++ heap for ever after a JS RPC call — the process spins and
 * the request never answers — which workerd fixed by sweeping synchronously (cloudflare/workerd
 * #7231, September 2026). Twirl depends on a workerd with the fix and has miniflare start it,
 * unless MINIFLARE_WORKERD_PATH already names one.
 */
import { createRequire } from 'node:module';

export function useTwirlWorkerd(): void {
  process.env['MINIFLARE_WORKERD_PATH'] ??= (createRequire(import.meta.url)('workerd') as { default: string }).default;
}
