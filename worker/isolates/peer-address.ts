/**
 * The client's `ip:port` as Spin reports it in `spin-client-addr`. Cloudflare gives a Worker the
 * client's IP (CF-Connecting-IP) but not its port, so a deployed app sees `ip:0`. Under `twirl up`
 * a local front (node/workerd/peer-proxy.ts) sends the socket address in {@link PEER_HEADER},
 * after a secret the worker holds as the `TWIRL_PEER_SECRET` binding; no deployed worker has it.
 */
import { socketAddress } from '../../shared/routing/headers.ts';

export const PEER_HEADER = 'x-twirl-peer';

/** The client's address, and the request as the component should see it (without the front's header). */
export function peerAddress(request: Request, secret: string | undefined): { request: Request; clientAddr: string } {
  const fallback = socketAddress(request.headers.get('cf-connecting-ip') ?? '127.0.0.1');
  if (!secret) return { request, clientAddr: fallback };
  const sent = request.headers.get(PEER_HEADER);
  if (sent === null) return { request, clientAddr: fallback };
  const headers = new Headers(request.headers);
  headers.delete(PEER_HEADER);
  const stripped = new Request(request, { headers });
  const [given, address] = sent.split(' ', 2);
  return { request: stripped, clientAddr: given === secret && address ? address : fallback };
}

/** The header that tells a worker holding `secret` the client's address. */
export function withPeerAddress(secret: string, clientAddr: string): [string, string] {
  return [PEER_HEADER, `${secret} ${clientAddr}`];
}
