/**
 * workerd gives a Worker the client's IP (CF-Connecting-IP) but never its port, while Spin's
 * `spin-client-addr` is `ip:port`. Locally, a thin TCP front passes each connection on to workerd
 * and adds to every request head the peer's socket address in {@link PEER_HEADER}, after a secret
 * only this process and the app worker (through a binding) know; a client's own header of that
 * name is dropped. Everything else passes byte for byte, responses untouched (an HTTP server
 * here would add Date and Connection headers Spin does not send).
 * Deployed on Cloudflare there is no front: the port stays unknown (`ip:0`).
 */
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { PEER_HEADER } from '../../worker/isolates/peer-address.ts';
import { socketAddress } from '../../shared/routing/headers.ts';

export interface PeerProxy {
  url: string;
  close(): Promise<void>;
}

/** A new secret for one local run. */
export function peerSecret(): string {
  return randomUUID();
}

/** Request heads larger than this are refused (workerd's own limit is lower). */
const MAX_HEAD_BYTES = 128 * 1024;
const CRLF = Buffer.from('\r\n');
const HEAD_END = Buffer.from('\r\n\r\n');

/** `::ffff:127.0.0.1` (an IPv4 client of a dual-stack socket) as the IPv4 address Spin would print. */
function peerOf(socket: Socket): string {
  const ip = (socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
  return socketAddress(ip, socket.remotePort ?? 0);
}

type State =
  | { at: 'head' }
  | { at: 'body'; left: number }
  | { at: 'chunk-size' }
  | { at: 'chunk-data'; left: number }
  | { at: 'trailers' }
  | { at: 'tunnel' };

/**
 * Rewrites the request heads of one client connection, following HTTP/1.1 message framing
 * (Content-Length, chunked) to find where each next request starts.
 */
class RequestRewriter {
  #buffer: Buffer = Buffer.alloc(0);
  #state: State = { at: 'head' };
  readonly #header: string;

  constructor(header: string) {
    this.#header = header;
  }

  /** Bytes to send upstream for `chunk`; throws on a head too large to be a request. */
  push(chunk: Buffer): Buffer[] {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    const out: Buffer[] = [];
    for (;;) {
      const state = this.#state;
      if (state.at === 'tunnel') {
        out.push(this.#take(this.#buffer.length));
        return out;
      }
      if (state.at === 'body' || state.at === 'chunk-data') {
        if (this.#buffer.length === 0) return out;
        const n = Math.min(state.left, this.#buffer.length);
        out.push(this.#take(n));
        state.left -= n;
        if (state.left === 0) this.#state = state.at === 'body' ? { at: 'head' } : { at: 'chunk-size' };
        continue;
      }
      const end = this.#buffer.indexOf(state.at === 'head' ? HEAD_END : CRLF);
      if (end < 0) {
        if (this.#buffer.length > MAX_HEAD_BYTES) throw new Error('request head too large');
        return out;
      }
      if (state.at === 'head') {
        out.push(this.#rewriteHead(this.#take(end + 4).toString('latin1')));
      } else if (state.at === 'chunk-size') {
        const line = this.#take(end + 2);
        const size = Number.parseInt(line.toString('latin1').split(';')[0]!.trim(), 16);
        if (!Number.isFinite(size)) throw new Error('malformed chunk size');
        out.push(line);
        this.#state = size === 0 ? { at: 'trailers' } : { at: 'chunk-data', left: size + 2 };
      } else {
        const line = this.#take(end + 2);
        out.push(line);
        if (line.length === 2) this.#state = { at: 'head' };
      }
    }
  }

  #take(n: number): Buffer {
    const taken = this.#buffer.subarray(0, n);
    this.#buffer = this.#buffer.subarray(n);
    return taken;
  }

  #rewriteHead(head: string): Buffer {
    const [requestLine = '', ...fields] = head.slice(0, -4).split('\r\n');
    const kept = fields.filter((field) => field.slice(0, field.indexOf(':')).trim().toLowerCase() !== PEER_HEADER);
    const value = (name: string) =>
      kept.filter((f) => f.slice(0, f.indexOf(':')).trim().toLowerCase() === name).map((f) => f.slice(f.indexOf(':') + 1).trim().toLowerCase());
    if (value('transfer-encoding').some((v) => v.includes('chunked'))) this.#state = { at: 'chunk-size' };
    else if (value('upgrade').length > 0 || requestLine.startsWith('CONNECT ')) this.#state = { at: 'tunnel' };
    else {
      const length = Number(value('content-length')[0] ?? 0);
      this.#state = length > 0 ? { at: 'body', left: length } : { at: 'head' };
    }
    return Buffer.from([requestLine, ...kept, `${PEER_HEADER}: ${this.#header}`, '', ''].join('\r\n'), 'latin1');
  }
}

/** Listens on host:port (0 picks a free one) and forwards each connection to `target`. */
export async function startPeerProxy(host: string, port: number, target: URL, secret: string): Promise<PeerProxy> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      // Small writes go out at once: Nagle's algorithm would hold them for the peer's delayed ACK.
      s.setNoDelay(true);
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => (client.destroy(), upstream.destroy()));
    }
    const rewriter = new RequestRewriter(`${secret} ${peerOf(client)}`);
    client.on('data', (chunk: Buffer) => {
      let parts: Buffer[];
      try {
        parts = rewriter.push(chunk);
      } catch {
        client.end('HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
        upstream.destroy();
        return;
      }
      if (parts.length > 0 && !upstream.write(parts.length === 1 ? parts[0]! : Buffer.concat(parts))) client.pause();
    });
    upstream.on('drain', () => client.resume());
    client.on('end', () => upstream.end());
    upstream.pipe(client);
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
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
