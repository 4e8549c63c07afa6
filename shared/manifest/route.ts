/**
 * Why `route` is not a Spin HTTP route, or undefined when it is one. A route starts with `/`;
 * `/...` or `/*` may end it (a tail wildcard); `:name` captures one segment.
 */
export function checkRoute(route: string): string | undefined {
  if (!route.startsWith('/')) return `route ${JSON.stringify(route)} must start with '/'`;
  const segments = route.slice(1).split('/');
  for (const [i, segment] of segments.entries()) {
    const last = i === segments.length - 1;
    if (segment === '...' || segment === '*') {
      if (!last) return `route ${JSON.stringify(route)}: '${segment}' may only be the last segment`;
      continue;
    }
    if (segment.includes('...') || segment.includes('*')) {
      return `route ${JSON.stringify(route)}: a wildcard must be a whole segment ('/...' or '/*') at the end`;
    }
    if (segment.startsWith(':') && !/^:[A-Za-z0-9_-]+$/.test(segment)) {
      return `route ${JSON.stringify(route)}: parameter '${segment}' needs a name of letters, digits, '_' or '-'`;
    }
  }
  return undefined;
}

/** Why a base path is invalid, or undefined. */
export function checkBasePath(base: string): string | undefined {
  if (!base.startsWith('/')) return `base ${JSON.stringify(base)} must start with '/'`;
  if (base.includes('*') || base.includes('...') || base.includes(':')) return `base ${JSON.stringify(base)} must be a plain path`;
  return undefined;
}

/** Routes that match the same requests: trailing `/` ignored, `/*` same as `/...`. */
export function routeKey(route: string): string {
  const wildcard = route.endsWith('/...') || route.endsWith('/*') || route === '/*' || route === '/...';
  const stem = wildcard ? route.slice(0, route.lastIndexOf('/')) : route;
  const trimmed = stem.replace(/\/+$/, '');
  const params = trimmed.replace(/\/:[^/]+/g, '/:');
  return wildcard ? `${params}/...` : params || '/';
}
