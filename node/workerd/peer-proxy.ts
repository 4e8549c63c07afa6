/**
 * workerd gives a Worker the client's IP (CF-Connecting-IP) but never its port, while Spin's
 * `spin-client-addr` is `ip:port`. Locally, a thin HTTP front passes each request on to workerd
 * with the peer's socket address in {@link PEER_HEADER}, prefixed by a secret only this process
 * and the app worker (through a binding) know; a client's own header of that name is dropped.
 * Deployed on Cloudflare there is no front: the port stays unknown (`ip:0`).
 */
import { Agent, createServer, request as forward, type IncomingMessage, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { PEER_HEADER } from '../../worker/isolates/peer-address.ts';
import { socketAddress } from '../../shared/routing/headers.ts';

export interface PeerProxy {
  url: string;
  close(): Promise<void>;
}

/** `::ffff:127.0.0.1` (an IPv4 client of a dual-stack socket) as the IPv4 address Spin would print. */
function peerOf(req: IncomingMessage): string {
  const ip = (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
  return socketAddress(ip, req.socket.remotePort ?? 0);
}

/** A new secret for one local run. */
export function peerSecret(): string {
  return randomUUID();
}

/** Listens on host:port (0 picks a free one) and forwards to `target`. */
export async function startPeerProxy(host: string, port: number, target: URL, secret: string): Promise<PeerProxy> {
  const agent = new Agent({ keepAlive: true });
  const server: Server = createServer((req, res) => {
    const headers = { ...req.headers };
    delete headers[PEER_HEADER];
    headers[PEER_HEADER] = `${secret} ${peerOf(req)}`;
    const upstream = forward({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers, agent }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.rawHeaders);
      answer.pipe(res);
      answer.on('error', () => res.destroy());
    });
    upstream.on('error', (err) => {
      if (res.headersSent) return void res.destroy();
      res.writeHead(502, { 'content-type': 'text/plain' }).end(`twirl: the local worker did not answer: ${err.message}\n`);
    });
    req.pipe(upstream);
    // A client that leaves early stops the upstream request; a finished one keeps the connection for the next.
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}/`,
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
