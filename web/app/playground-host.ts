/**
 * Previews need origins of their own that are still same-site with the playground, so their
 * service workers may run (browsers block them in cross-site frames). An IP address or bare
 * `localhost` has no such subdomains: the playground moves to `twirl.localhost`, whose
 * subdomains browsers resolve to this machine too.
 */
export const LOCAL_PLAYGROUND_HOST = 'twirl.localhost';

/** Where to go instead of `here`, or undefined to stay. */
export function betterPlaygroundUrl(here: URL, previewPattern: string | undefined): string | undefined {
  if (previewPattern) return undefined;
  const { hostname } = here;
  if (hostname !== 'localhost' && !/^[\d.]+$|^\[/.test(hostname)) return undefined;
  const moved = new URL(here.href);
  moved.hostname = LOCAL_PLAYGROUND_HOST;
  return moved.href;
}

/** True on an app's preview origin, where the playground itself must not start. */
export const isPreviewHost = (hostname: string): boolean => /^[0-9a-f]{16}\./.test(hostname);
