/**
 * The `spin-*` headers Spin adds to a request before a component sees it (Spin's
 * `trigger-http/src/headers.rs`), computed from a route match.
 */
import type { RouteMatch } from './router.ts';

export interface SpinRequestContext {
  /** `scheme://host/path?query` as the client asked for it; Spin uses the Host header, or `localhost`. */
  fullUrl: string;
  /** The client's socket address, `ip:port`. */
  clientAddr: string;
  /** Sent as spin-base-path. Spin itself always sends "/" (it no longer applies a base to routes). */
  basePath: string;
}

/** Spin's request headers for a matched route, lowercase names, in Spin's order. */
export function spinHeaders(match: RouteMatch<unknown>, ctx: SpinRequestContext): Array<[string, string]> {
  const headers: Array<[string, string]> = [
    ['spin-path-info', match.pathInfo],
    ['spin-full-url', ctx.fullUrl],
    ['spin-matched-route', match.matchedRoute],
    ['spin-base-path', ctx.basePath],
    ['spin-raw-component-route', match.rawRoute],
    // The route as written, less a trailing `/...`, without the base (Spin's `raw_route_or_prefix`).
    ['spin-component-route', match.rawRoute.endsWith('/...') ? match.rawRoute.slice(0, -4) : match.rawRoute],
    ['spin-client-addr', ctx.clientAddr],
  ];
  for (const [name, value] of Object.entries(match.params)) {
    headers.push([pathMatchHeader(name), value]);
  }
  return headers;
}

/**
 * `ip:port` as Spin prints a client's socket address (Rust's `SocketAddr`): an IPv6 address in
 * brackets. Hosts that do not know the client's port (workerd gives a Worker the client's IP
 * alone, in CF-Connecting-IP) give 0, the port of an unknown peer, and keep the header's shape.
 */
export function socketAddress(ip: string, port = 0): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** `:user_id` arrives as `spin-path-match-user-id` (Spin maps `_` to `-` and lower-cases ASCII only). */
export function pathMatchHeader(paramName: string): string {
  return `spin-path-match-${paramName.replaceAll('_', '-').replace(/[A-Z]/g, (c) => c.toLowerCase())}`;
}
