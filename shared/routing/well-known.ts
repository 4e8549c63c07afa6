/**
 * `/.well-known/spin/`: Spin's own paths, answered by the host before any route — an app never
 * sees them. `health` says OK, `info` names the app (as Spin's JSON, pretty-printed), anything
 * else there is 404.
 */
import type { App } from '../manifest/types.ts';

export const WELL_KNOWN_PREFIX = '/.well-known/spin/';

export function wellKnownResponse(name: string, app: Pick<App, 'name' | 'version'>): Response {
  if (name === 'health') return new Response('OK', { status: 200 });
  if (name === 'info') {
    const info = { name: app.name, ...(app.version ? { version: app.version } : {}) };
    return new Response(JSON.stringify(info, null, 2), { headers: { 'content-type': 'application/json' } });
  }
  return new Response(null, { status: 404 });
}
