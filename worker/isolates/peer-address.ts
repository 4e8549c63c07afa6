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
  const clientAddr = peerClientAddr(request, secret);
  if (!secret || !request.headers.has(PEER_HEADER)) return { request, clientAddr };
  const headers = new Headers(request.headers);
  headers.delete(PEER_HEADER);
  return { request: new Request(request, { headers }), clientAddr };
}

/**
 * The client's address alone, the request left as it is: for a host that keeps {@link PEER_HEADER}
 * from the component some other way than a copy of the request (the engine's `hostHeaders`).
 */
export function peerClientAddr(request: Request, secret: string | undefined): string {
  const sent = secret ? request.headers.get(PEER_HEADER) : null;
  if (sent !== null) {
    const [given, address] = sent.split(' ', 2);
    if (given === secret && address) return address;
  }
  return socketAddress(request.headers.get('cf-connecting-ip') ?? '127.0.0.1');
}
