/**
 * The playground's built files, served for the playground itself, for an app's preview origin
 * and for docs sites that embed `<twirl-playground>` from their own origin.
 */
import { PREVIEW_CSP } from '../shared/preview-policy.ts';
import type { PlatformEnv } from './env.ts';

/** The embed's interface versions this playground serves: `/embed/<version>.js`, the script tag docs sites copy. */
export const EMBED_VERSIONS = ['v1'];
/** What a preview origin serves from the network: the bridge page, its scripts, the service worker. */
const PREVIEW_PATHS = /^\/(?:__twirl\/.*|sw\.js)$/;
/** Named by their content's hash (vite's chunks, the JS engines by sha256): they never change under a name. */
const HASHED = /^\/__twirl\/(?:assets|engines)\//;
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Files whose name stays while their content follows releases: short, revalidated in the background. */
const FOLLOWS_RELEASES = 'public, max-age=300, stale-while-revalidate=86400';

export async function playgroundAsset(env: PlatformEnv, request: Request): Promise<Response> {
  const { pathname } = new URL(request.url);
  const embed = /^\/embed\/([^/]+)\.js$/.exec(pathname);
  if (embed) return embedScript(embed[1]!);
  return withAssetHeaders(pathname, await fetchAsset(env, request));
}

/**
 * An app's preview origin. The service worker answers the app's own requests; what reaches the
 * network is the bridge and its files, or a request made before the service worker runs, which
 * gets a page saying where to open the app — under the preview's sandboxing CSP, like every
 * answer on this origin that is not the playground's own file.
 */
export async function previewAsset(env: PlatformEnv, request: Request): Promise<Response> {
  const { pathname } = new URL(request.url);
  if (PREVIEW_PATHS.test(pathname)) return withAssetHeaders(pathname, await fetchAsset(env, request));
  return new Response('This address serves an app preview; open it from the playground.\n', {
    status: 404,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'content-security-policy': PREVIEW_CSP, 'cache-control': 'no-store' },
  });
}

async function fetchAsset(env: PlatformEnv, request: Request): Promise<Response> {
  if (!env.ASSETS) return new Response('This worker was deployed without the playground’s files.\n', { status: 404 });
  return env.ASSETS.fetch(request);
}

/**
 * CORS on everything a page of another origin loads — the embed script, its chunks, templates,
 * prepared components: module scripts and `fetch` across origins need it. No credentials are
 * involved, so `*` is enough and caches need no `Vary: Origin`.
 */
function withAssetHeaders(pathname: string, response: Response): Response {
  if (response.status !== 200 && response.status !== 304) return response;
  const isPage = (response.headers.get('content-type') ?? '').startsWith('text/html');
  if (isPage) return response;
  const headers = new Headers(response.headers);
  headers.set('access-control-allow-origin', '*');
  headers.set('cross-origin-resource-policy', 'cross-origin');
  headers.set('x-content-type-options', 'nosniff');
  // The service worker must be checked for updates on every visit.
  if (pathname === '/sw.js') headers.set('cache-control', 'no-cache');
  else headers.set('cache-control', HASHED.test(pathname) ? IMMUTABLE : FOLLOWS_RELEASES);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/** `/embed/v1.js`: the current embed, under the interface version a docs site pinned. */
function embedScript(version: string): Response {
  if (!EMBED_VERSIONS.includes(version)) {
    return new Response(`// no embed ${version}: this playground serves ${EMBED_VERSIONS.map((v) => `/embed/${v}.js`).join(', ')}\n`, {
      status: 404,
      headers: { 'content-type': 'text/javascript; charset=utf-8', 'access-control-allow-origin': '*' },
    });
  }
  // Resolved against this script's URL, so the embed's own chunks load from this playground.
  return new Response(`import '../embed.js';\n`, {
    headers: {
      'content-type': 'text/javascript; charset=utf-8',
      'access-control-allow-origin': '*',
      'cross-origin-resource-policy': 'cross-origin',
      'x-content-type-options': 'nosniff',
      'cache-control': FOLLOWS_RELEASES,
    },
  });
}
