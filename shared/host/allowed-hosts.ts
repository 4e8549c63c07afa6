import { TwirlError } from '../errors.ts';
import { parseTemplate, resolveTemplate } from './variables.ts';
import { isPrivateHost } from './private-addresses.ts';
import { parseIp, type IpNetwork } from './ip-address.ts';

export { parseIp, type IpNetwork } from './ip-address.ts';

/**
 * Spin's `allowed_outbound_hosts`: `scheme://host[:port]`. The scheme may be `*`; the host `*`,
 * `*.example.com`, an address or CIDR block, or `self` (the app itself); the port a number, a
 * range `8000..8010` (end excluded, as in Spin) or `*`, and defaults by scheme when omitted.
 */
export interface HostPattern {
  /** The pattern as written. */
  original: string;
  /** Lowercase scheme without `:`, or `*`. */
  scheme: string;
  host: HostMatcher;
  /** `*`, or the ports allowed: `[start, end)` ranges. */
  ports: '*' | PortRange[];
}

export type HostMatcher =
  | { kind: 'any' }
  | { kind: 'self' }
  | { kind: 'exact'; name: string }
  /** `*.example.com`: any host ending in `suffix` (`.example.com`), not the bare domain. */
  | { kind: 'subdomain'; suffix: string }
  | { kind: 'cidr'; network: IpNetwork };

export interface PortRange {
  start: number;
  /** Exclusive. */
  end: number;
}


/** Ports Spin assumes when a pattern or URL names none. */
const WELL_KNOWN_PORTS: Record<string, number> = {
  http: 80,
  https: 443,
  postgres: 5432,
  mysql: 3306,
  redis: 6379,
  mqtt: 1883,
};

/** The host a guest uses to reach its own app when it cannot send a relative URL. */
export const SELF_HOST = 'self.alt';

export function wellKnownPort(scheme: string): number | undefined {
  return Object.hasOwn(WELL_KNOWN_PORTS, scheme) ? WELL_KNOWN_PORTS[scheme] : undefined;
}

/** Parses one literal pattern (templates must be resolved first). */
export function parseHostPattern(p: string): { pattern?: HostPattern; error?: string } {
  const text = p.trim();
  if (text === 'insecure:allow-all') {
    return { error: "`insecure:allow-all` is not allowed here: use '*://*:*' to allow all outbound traffic" };
  }
  const schemeEnd = text.indexOf('://');
  if (schemeEnd < 0) return { error: `${JSON.stringify(p)} has no scheme (e.g. 'https://' or '*://')` };
  const scheme = text.slice(0, schemeEnd).toLowerCase();
  const rest = text.slice(schemeEnd + 3);
  if (scheme !== '*' && !/^[a-z]+$/.test(scheme)) return { error: `scheme ${JSON.stringify(scheme)} must be letters only, or '*'` };

  const slash = rest.indexOf('/');
  if (slash >= 0 && rest.slice(slash + 1) !== '') {
    // A CIDR block has a `/`, but never a `:port` before it; let the host parser judge.
    if (!parseNetwork(rest.replace(/:[^:/\]]*$/, '').trim())) return { error: `${JSON.stringify(p)} has a path, which is not allowed` };
  }
  const authority = slash >= 0 && rest.slice(slash + 1) === '' ? rest.slice(0, slash) : rest;
  const colon = authority.lastIndexOf(':');
  // `[::1]` has colons inside its brackets; only a colon after `]` starts a port.
  const hasPort = colon >= 0 && colon > authority.lastIndexOf(']');
  const hostText = (hasPort ? authority.slice(0, colon) : authority).trim();
  const portText = hasPort ? authority.slice(colon + 1) : '';

  const host = parseHost(hostText);
  if (typeof host === 'string') return { error: host };
  const ports = parsePorts(portText, scheme);
  if (typeof ports === 'string' && ports !== '*') return { error: ports };
  return { pattern: { original: p, scheme, host, ports } };
}

/** Dot-separated labels of letters, digits, `-` and `_` (which real hosts do use); at most 253 characters. */
const hostName = /^(?=.{1,253}$)[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*\.?$/;

function parseHost(host: string): HostMatcher | string {
  if (host === '') return 'the host is empty';
  if (host === '*') return { kind: 'any' };
  if (host === 'self') return { kind: 'self' };
  if (host.startsWith('{')) return 'host lists are not supported';
  const network = parseNetwork(host);
  if (network) return { kind: 'cidr', network };
  if (host.includes('/')) return `host ${JSON.stringify(host)} must not contain a path`;
  if (host.startsWith('*.')) {
    const domain = host.slice(2);
    if (domain === '' || domain.includes('*')) return `host ${JSON.stringify(host)}: a wildcard is allowed only as the first label`;
    if (!hostName.test(domain)) return `host ${JSON.stringify(host)} is not a valid host name`;
    return { kind: 'subdomain', suffix: `.${domain.toLowerCase()}` };
  }
  if (host.includes('*')) return `host ${JSON.stringify(host)}: a wildcard is allowed only as the whole host or as '*.' before a domain`;
  if (!hostName.test(host) && !/^\[[0-9a-fA-F:.]+\]$/.test(host)) return `host ${JSON.stringify(host)} is not a valid host name`;
  return { kind: 'exact', name: host.toLowerCase() };
}

function parsePorts(port: string, scheme: string): '*' | PortRange[] | string {
  if (port === '*') return '*';
  if (port === '') {
    const known = wellKnownPort(scheme);
    if (known === undefined) return `no port given and the scheme ${JSON.stringify(scheme)} has no default port; add ':<port>' or ':*'`;
    return [{ start: known, end: known + 1 }];
  }
  if (port.startsWith('{')) return 'port lists are not supported';
  const range = port.split('..');
  if (range.length > 2) return `port range ${JSON.stringify(port)} is malformed; expected 'start..end'`;
  const numbers = range.map(parsePortNumber);
  const [start, end] = numbers;
  if (start === undefined || numbers.some((n) => n === undefined)) {
    return `port ${JSON.stringify(port)} is not a number from 0 to 65535, a range 'start..end', or '*'`;
  }
  return [{ start, end: range.length === 2 ? (end as number) : start + 1 }];
}

function parsePortNumber(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const n = Number(text);
  return n <= 65535 ? n : undefined;
}

/** `10.0.0.0/8` or `fd00::/8`; a bare address is not a network (it matches exactly instead). */
function parseNetwork(text: string): IpNetwork | undefined {
  const parts = text.split('/');
  if (parts.length !== 2 || !/^\d{1,3}$/.test(parts[1] as string)) return undefined;
  const address = parseIp(parts[0] as string);
  const prefix = Number(parts[1]);
  if (!address || prefix > (address.version === 4 ? 32 : 128)) return undefined;
  return { ...address, prefix };
}

function inNetwork(host: string, network: IpNetwork): boolean {
  const ip = parseIp(host);
  if (!ip || ip.version !== network.version) return false;
  const bits = BigInt(network.version === 4 ? 32 : 128);
  const shift = bits - BigInt(network.prefix);
  return ip.address >> shift === network.address >> shift;
}

function hostMatches(matcher: HostMatcher, host: string): boolean {
  switch (matcher.kind) {
    case 'any':
      return true;
    case 'self':
      return false; // only relative URLs and `self.alt` reach the app itself; see allowsSelf
    case 'exact':
      return matcher.name === host;
    case 'subdomain':
      return host.endsWith(matcher.suffix);
    case 'cidr':
      return inNetwork(host, matcher.network);
  }
}

function portMatches(ports: HostPattern['ports'], port: number | undefined): boolean {
  if (ports === '*') return true;
  return port !== undefined && ports.some((r) => port >= r.start && port < r.end);
}

function schemeMatches(pattern: HostPattern, scheme: string): boolean {
  return pattern.scheme === '*' || pattern.scheme === scheme;
}

/** A component's compiled allow-list. */
export class AllowedHosts {
  readonly patterns: readonly HostPattern[];

  private constructor(patterns: HostPattern[]) {
    this.patterns = patterns;
  }

  /**
   * Resolves `{{ name }}` in each pattern from `variables` (the application variables' values)
   * and parses it. Throws `invalid-host-pattern`, `invalid-template` or `missing-variable`.
   */
  static compile(patterns: string[], variables: Record<string, string>): AllowedHosts {
    const compiled = patterns.map((raw) => {
      const literal = parseTemplate(raw).segments.every((s) => 'literal' in s) ? raw : resolveTemplate(raw, variables);
      const { pattern, error } = parseHostPattern(literal);
      if (!pattern) throw new TwirlError('invalid-host-pattern', `allowed_outbound_hosts: ${error}`);
      return pattern;
    });
    return new AllowedHosts(compiled);
  }

  /** Whether a request to `url` may leave the component. `self.alt` means the app itself. */
  allows(url: URL): boolean {
    const scheme = url.protocol.replace(/:$/, '').toLowerCase();
    const host = url.hostname.toLowerCase();
    if (host === SELF_HOST) return this.allowsSelf(scheme);
    const port = url.port === '' ? wellKnownPort(scheme) : Number(url.port);
    // Loopback and private networks need a pattern that names them: `*` alone never reaches them.
    const named = isPrivateHost(host) ? (p: HostPattern) => p.host.kind === 'exact' || p.host.kind === 'cidr' : () => true;
    return this.patterns.some((p) => named(p) && schemeMatches(p, scheme) && hostMatches(p.host, host) && portMatches(p.ports, port));
  }

  /** Whether the component may call its own app (a relative URL): `http://self` or a `*` host. */
  allowsSelf(scheme?: string): boolean {
    const schemes = scheme ? [scheme] : ['http', 'https'];
    return this.patterns.some(
      (p) => (p.host.kind === 'self' || p.host.kind === 'any') && schemes.some((s) => schemeMatches(p, s)),
    );
  }
}
