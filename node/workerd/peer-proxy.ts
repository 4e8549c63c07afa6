/**
 * workerd gives a Worker the client's IP (CF-Connecting-IP) but never its port, while Spin's
 * `spin-client-addr` is `ip:port`. Locally, a thin TCP front passes each connection on to workerd
 * and adds to every request head the peer's socket address in {@link PEER_HEADER}, after a secret
 * only this process and the app worker (through a binding) know; a client's own header of that
 * name is dropped. Everything else passes byte for byte, responses untouched (an HTTP server
 * here would add Date and Connection headers Spin does not send).
 * Deployed on Cloudflare there is no front: the port stays unknown (`ip:0`).
 *
 * The front also keeps its clients' connections alive itself. workerd closes a kept-alive
 * connection 5 s after its last answer (the pipeline timeout of kj's HTTP server, which workerd
 * does not let a config change) and says nothing of it beforehand (no Keep-Alive header); a
 * client that reuses the connection at that moment has its request reset or cut off — undici's
 * own idle limit is 4 s, and a busy client's timers fire late. So the front follows where each
 * answer ends (response-framing.ts) and sends a request to workerd only on a connection whose
 * last request began, and whose last byte passed, less than {@link REUSE_MS} ago, else on a new
 * one: under load, a request sent just after a long request's answer was seen reset, as if
 * workerd's idle clock ran from the request's start. A client's connection stays open until the
 * client closes it or leaves it idle for {@link CLIENT_IDLE_MS}. A request head that trickles in
 * is answered 408 after {@link HEAD_TIMEOUT_MS} (workerd itself would close without an answer).
 */
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { socketAddress } from '../../shared/routing/headers.ts';
import { RequestRewriter, type RequestStart } from './request-rewriter.ts';
import { ResponseFraming } from './response-framing.ts';

export interface PeerProxy {
  url: string;
  close(): Promise<void>;
}

/** A new secret for one local run. */
export function peerSecret(): string {
  return randomUUID();
}

/** A connection to workerd idle, or busy with one request, for this long carries no further request: workerd closes them at 5 s. */
export const REUSE_MS = 1_000;
/** A client's connection without a request for this long is closed: well past any client's own idle limit (undici's is 4 s). */
export const CLIENT_IDLE_MS = 60_000;
/** A request head must arrive whole within this time of its first byte, else the client is answered 408 (workerd's own limit, which closed without an answer). */
export const HEAD_TIMEOUT_MS = 15_000;

export interface FrontOptions {
  /** How long a request head may take to arrive whole: {@link HEAD_TIMEOUT_MS} unless told. */
  headMs?: number;
  /** Opens a connection to workerd: `net.connect` unless told (tests stand in a full pipe). */
  connect?: (port: number, host: string) => Socket;
}

/** `::ffff:127.0.0.1` (an IPv4 client of a dual-stack socket) as the IPv4 address Spin would print. */
function peerOf(socket: Socket): string {
  const ip = (socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
  return socketAddress(ip, socket.remotePort ?? 0);
}

/** One client connection and the connection to workerd that carries its current requests. */
class FrontConnection {
  readonly #client: Socket;
  readonly #target: URL;
  readonly #track: (socket: Socket) => void;
  readonly #rewriter: RequestRewriter;
  #upstream: Socket | undefined;
  #framing: ResponseFraming | undefined;
  /** Methods of the requests passed on whose answers have not ended, oldest first. */
  readonly #waiting: string[] = [];
  /** When a byte last went to or came from workerd. */
  #lastActivity = 0;
  /** When the last request passed on to workerd began. */
  #lastRequestAt = 0;
  /** A request or an answer asked for the connection to close after it. */
  #closeAfter = false;
  #clientEnded = false;
  /** The front has ended the client's connection: what the client still sends is not passed on. */
  #closing = false;
  readonly #options: FrontOptions;
  /** The connection to workerd whose full buffer paused the client: its drain resumes it, and so does its end. */
  #pausedBy: Socket | undefined;
  #headTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(client: Socket, target: URL, header: string | undefined, track: (socket: Socket) => void, options: FrontOptions) {
    this.#client = client;
    this.#options = options;
    this.#target = target;
    this.#track = track;
    this.#rewriter = new RequestRewriter(header);
    // Small writes go out at once: Nagle's algorithm would hold them for the peer's delayed ACK.
    client.setNoDelay(true);
    track(client);
    client.on('data', (chunk: Buffer) => this.#fromClient(chunk));
    client.on('drain', () => this.#upstream?.resume());
    client.on('end', () => {
      this.#clientEnded = true;
      this.#upstream?.end();
    });
    client.on('error', () => this.#destroy());
    client.on('close', () => {
      clearTimeout(this.#headTimer);
      this.#upstream?.destroy();
    });
    client.setTimeout(CLIENT_IDLE_MS, () => {
      if (this.#idle) this.#endClient();
    });
  }

  /** No request is on its way or waiting for its answer. */
  get #idle(): boolean {
    return this.#waiting.length === 0 && this.#rewriter.between && !this.#framing?.unframed;
  }

  #fromClient(chunk: Buffer): void {
    if (this.#closing) return;
    let pieces;
    try {
      pieces = this.#rewriter.push(chunk);
    } catch {
      this.#closing = true;
      this.#client.end('HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
      this.#upstream?.destroy();
      return;
    }
    // One write per chunk where possible: each write is a packet once Nagle is off.
    const batch: Buffer[] = [];
    const flush = () => {
      const upstream = this.#upstream;
      if (batch.length === 0 || !upstream) return;
      this.#lastActivity = Date.now();
      if (!upstream.write(batch.length === 1 ? batch[0]! : Buffer.concat(batch))) {
        this.#pausedBy = upstream;
        this.#client.pause();
      }
      batch.length = 0;
    };
    for (const piece of pieces) {
      if (piece.start) {
        flush();
        this.#begin(piece.start);
      }
      batch.push(piece.bytes);
    }
    flush();
    this.#watchHead();
  }

  /** A head that trickles in is answered 408 at its deadline, not held open. */
  #watchHead(): void {
    if (!this.#rewriter.inHead) {
      clearTimeout(this.#headTimer);
      this.#headTimer = undefined;
      return;
    }
    this.#headTimer ??= setTimeout(() => {
      if (!this.#rewriter.inHead || this.#closing) return;
      this.#closing = true;
      // An answer still on its way first: a 408 can only follow the answers before it.
      if (this.#waiting.length > 0) return this.#destroy();
      this.#client.end('HTTP/1.1 408 Request Timeout\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
      this.#upstream?.end();
    }, this.#options.headMs ?? HEAD_TIMEOUT_MS);
  }

  /** Chooses the connection to workerd for a request about to start. */
  #begin(start: RequestStart): void {
    const current = this.#upstream;
    const now = Date.now();
    // workerd's idle close can fall due soon after a long request's answer: reused after a short one only.
    if (current && this.#waiting.length === 0 && (now - this.#lastActivity >= REUSE_MS || now - this.#lastRequestAt >= REUSE_MS)) {
      // Nothing is waiting on it: end it gracefully before workerd's idle close can cross this request.
      this.#upstream = undefined;
      this.#framing = undefined;
      this.#resumeClient(current);
      current.end();
    }
    if (!this.#upstream) this.#connect();
    this.#lastRequestAt = now;
    this.#waiting.push(start.method);
    if (start.close) this.#closeAfter = true;
  }

  #connect(): void {
    const upstream = (this.#options.connect ?? connect)(Number(this.#target.port), this.#target.hostname);
    upstream.setNoDelay(true);
    this.#track(upstream);
    const framing = new ResponseFraming({
      method: () => this.#waiting[0],
      complete: (close) => {
        this.#waiting.shift();
        if (close) this.#closeAfter = true;
      },
    });
    this.#upstream = upstream;
    this.#framing = framing;
    upstream.on('data', (chunk: Buffer) => {
      if (upstream !== this.#upstream) return;
      this.#lastActivity = Date.now();
      framing.push(chunk);
      if (!this.#client.write(chunk)) upstream.pause();
    });
    upstream.on('drain', () => this.#resumeClient(upstream));
    upstream.on('end', () => this.#upstreamGone(upstream, false));
    upstream.on('error', () => this.#upstreamGone(upstream, true));
  }

  /** workerd closed `upstream` (or it failed). */
  #upstreamGone(upstream: Socket, failed: boolean): void {
    if (upstream !== this.#upstream) return;
    const idle = this.#idle;
    this.#upstream = undefined;
    this.#framing = undefined;
    if (idle && !this.#closeAfter && !this.#clientEnded) {
      // Nothing was lost: the client keeps its connection, and its next request gets a new one.
      upstream.destroy();
      this.#resumeClient(upstream);
      return;
    }
    if (failed) this.#destroy();
    else this.#endClient();
  }

  /** `upstream` drained or is gone: if it paused the client, the client's next bytes are read again. */
  #resumeClient(upstream: Socket): void {
    if (this.#pausedBy !== upstream) return;
    this.#pausedBy = undefined;
    this.#client.resume();
  }

  #endClient(): void {
    this.#closing = true;
    this.#client.end();
    this.#upstream?.end();
  }

  #destroy(): void {
    this.#client.destroy();
    this.#upstream?.destroy();
  }
}

/** The address a local client reaches `host` at: an any-address listener answers on loopback. */
function reachable(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Listens on host:port (0 picks a free one) and forwards each connection to `target`; with
 * `secret`, each request carries its client's address after it.
 */
export async function startPeerProxy(host: string, port: number, target: URL, secret?: string, options: FrontOptions = {}): Promise<PeerProxy> {
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  };
  const server = createServer((client) => new FrontConnection(client, target, secret === undefined ? undefined : `${secret} ${peerOf(client)}`, track, options));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://${reachable(host)}:${bound}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
