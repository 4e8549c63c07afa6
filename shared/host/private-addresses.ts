/**
 * Hosts on the local machine or a private network. A component reaches them only through a
 * pattern that names them (an exact host or an address block), never through a wildcard.
 */
import { parseIp, type IpNetwork } from './ip-address.ts';

const privateNetworks: IpNetwork[] = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
].map(([address, prefix]) => ({ ...parseIp(address as string)!, prefix: prefix as number }));

const ipv4Mapped = (0xffffn << 32n);

export function isPrivateHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  let ip = parseIp(host);
  if (!ip) return false;
  // ::ffff:10.0.0.1 is 10.0.0.1.
  if (ip.version === 6 && ip.address >> 32n === ipv4Mapped >> 32n) ip = { version: 4, address: ip.address & 0xffffffffn };
  const { version, address } = ip;
  return privateNetworks.some((n) => {
    if (n.version !== version) return false;
    const shift = BigInt((version === 4 ? 32 : 128) - n.prefix);
    return address >> shift === n.address >> shift;
  });
}
