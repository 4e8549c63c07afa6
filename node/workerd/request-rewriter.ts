/**
 * The local front's view of one client connection's requests: it follows HTTP/1.1 message
 * framing (Content-Length, chunked) to find where each request starts, rewrites each request
 * head (the peer header), and says where a request begins so the front can choose the
 * connection to workerd that carries it.
 */
import { PEER_HEADER } from '../../worker/isolates/peer-address.ts';

/** Request heads larger than this are refused (workerd's own limit is lower). */
const MAX_HEAD_BYTES = 128 * 1024;
const CRLF = Buffer.from('\r\n');
const HEAD_END = Buffer.from('\r\n\r\n');

type State =
  | { at: 'head' }
  | { at: 'body'; left: number }
  | { at: 'chunk-size' }
  | { at: 'chunk-data'; left: number }
  | { at: 'trailers' }
  | { at: 'tunnel' };

/** A request's start: its method, and whether it asks for the connection to close after its answer. */
export interface RequestStart {
  method: string;
  close: boolean;
}

/** Bytes to send upstream; `start` on the piece that is a request's (rewritten) head. */
export interface RequestPiece {
  bytes: Buffer;
  start?: RequestStart;
}

export class RequestRewriter {
  #buffer: Buffer = Buffer.alloc(0);
  #state: State = { at: 'head' };
  readonly #header: string | undefined;

  /** `header`: the peer header's value for every request; without it, a client's own is still dropped. */
  constructor(header?: string) {
    this.#header = header;
  }

  /** Between requests: the last one has been passed on whole and no part of the next has arrived. */
  get between(): boolean {
    return this.#state.at === 'head' && this.#buffer.length === 0;
  }

  /** Part of a request head has arrived, not yet its end. */
  get inHead(): boolean {
    return this.#state.at === 'head' && this.#buffer.length > 0;
  }

  /** Pieces to send upstream for `chunk`; throws on a head too large to be a request. */
  push(chunk: Buffer): RequestPiece[] {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    const out: RequestPiece[] = [];
    for (;;) {
      const state = this.#state;
      if (state.at === 'tunnel') {
        if (this.#buffer.length > 0) out.push({ bytes: this.#take(this.#buffer.length) });
        return out;
      }
      if (state.at === 'body' || state.at === 'chunk-data') {
        if (this.#buffer.length === 0) return out;
        const n = Math.min(state.left, this.#buffer.length);
        out.push({ bytes: this.#take(n) });
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
        out.push({ bytes: line });
        this.#state = size === 0 ? { at: 'trailers' } : { at: 'chunk-data', left: size + 2 };
      } else {
        const line = this.#take(end + 2);
        out.push({ bytes: line });
        if (line.length === 2) this.#state = { at: 'head' };
      }
    }
  }

  #take(n: number): Buffer {
    const taken = this.#buffer.subarray(0, n);
    this.#buffer = this.#buffer.subarray(n);
    return taken;
  }

  #rewriteHead(head: string): RequestPiece {
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
    const connection = value('connection').flatMap((v) => v.split(',').map((token) => token.trim()));
    // HTTP/1.0 closes after each answer unless the client asks to keep the connection.
    const close = connection.includes('close') || (requestLine.endsWith('HTTP/1.0') && !connection.includes('keep-alive'));
    const lines = [requestLine, ...kept, ...(this.#header === undefined ? [] : [`${PEER_HEADER}: ${this.#header}`]), '', ''];
    return { bytes: Buffer.from(lines.join('\r\n'), 'latin1'), start: { method: requestLine.split(' ', 1)[0]!, close } };
  }
}
