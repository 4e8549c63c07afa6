/**
 * Which site a request is for, by its Host — the same routing deployed (`TWIRL_DOMAIN`, e.g.
 * `example.dev`) and locally (`twirl.localhost`):
 *   `<domain>`                  the playground, its API, `/a/<digest>/` links
 *   `<app id>.<domain>`         an app's preview origin (16 hex digits, see web/preview-protocol.ts)
 *   `<digest, base32>.<domain>` a published app on an origin of its own
 * Any other host (workers.dev, 127.0.0.1) is the playground, so the worker answers wherever it runs.
 */

export type Site =
  | { kind: 'playground' }
  | { kind: 'preview'; appId: string }
  | { kind: 'published'; digest: string }
  /** A subdomain of the configured domain that names nothing. */
  | { kind: 'unknown'; host: string };

const PREVIEW_LABEL = /^[0-9a-f]{16}$/;
/** A sha256 digest in lowercase base32 (RFC 4648, no padding): 52 characters, within DNS's 63 per label. */
const PUBLISHED_LABEL = /^[a-z2-7]{51}[aq]$/;
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

export function siteOf(hostname: string, domain: string | undefined): Site {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  const dot = host.indexOf('.');
  const label = host.slice(0, dot);
  const rest = host.slice(dot + 1);
  const apex = domain?.toLowerCase();
  if (apex && host !== apex && host.endsWith(`.${apex}`) && rest !== apex) return { kind: 'unknown', host };
  if (dot <= 0 || (apex ? rest !== apex : !rest.includes('.') && rest !== 'localhost')) return { kind: 'playground' };
  if (PREVIEW_LABEL.test(label)) return { kind: 'preview', appId: label };
  if (PUBLISHED_LABEL.test(label)) return { kind: 'published', digest: digestOfLabel(label) };
  return apex ? { kind: 'unknown', host } : { kind: 'playground' };
}

/** The origin a published app runs at when the playground is served at its domain; else its `/a/<digest>/` URL. */
export function publishedAppUrl(requestUrl: string, digest: string, domain: string | undefined): string {
  const url = new URL(requestUrl);
  if (domain && url.hostname === domain.toLowerCase()) {
    url.hostname = `${labelOfDigest(digest)}.${domain.toLowerCase()}`;
    return new URL('/', url).href;
  }
  return new URL(`/a/${digest}/`, url).href;
}

export function labelOfDigest(digest: string): string {
  let bits = 0;
  let value = 0;
  let label = '';
  for (let i = 0; i < digest.length; i += 2) {
    value = (value << 8) | parseInt(digest.slice(i, i + 2), 16);
    bits += 8;
    while (bits >= 5) {
      label += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) label += BASE32[(value << (5 - bits)) & 31];
  return label;
}

export function digestOfLabel(label: string): string {
  let bits = 0;
  let value = 0;
  let digest = '';
  for (const ch of label) {
    value = ((value << 5) | BASE32.indexOf(ch)) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      digest += ((value >>> (bits - 8)) & 0xff).toString(16).padStart(2, '0');
      bits -= 8;
    }
  }
  return digest;
}
