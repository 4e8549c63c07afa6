/**
 * Where each response on one HTTP/1.1 connection ends, read from the bytes as they pass (which
 * are never changed): the local front needs to know when a connection to workerd carries no
 * request, to decide whether the next one may use it. Anything it cannot frame (a response
 * delimited by the connection's close, a tunnel, a malformed head) keeps the connection busy
 * for good, so it is never taken for idle.
 */

export interface ResponseQueue {
  /** The method of the oldest request still waiting for its response (HEAD and CONNECT frame theirs differently). */
  method(): string | undefined;
  /** The oldest request's response has ended; `close` when it said `connection: close`. */
  complete(close: boolean): void;
}

type State =
  | { at: 'head' }
  | { at: 'body'; left: number; close: boolean }
  | { at: 'chunk-size'; close: boolean }
  | { at: 'chunk-data'; left: number; close: boolean }
  | { at: 'trailers'; close: boolean }
  | { at: 'unframed' };

/** Response heads larger than this are not framed (workerd's are far smaller). */
const MAX_LINE_BYTES = 128 * 1024;
const CRLF = Buffer.from('\r\n');
const HEAD_END = Buffer.from('\r\n\r\n');

export class ResponseFraming {
  #buffer: Buffer = Buffer.alloc(0);
  #state: State = { at: 'head' };
  readonly #queue: ResponseQueue;

  constructor(queue: ResponseQueue) {
    this.#queue = queue;
  }

  /** The connection can no longer be told idle: its responses end with it, or it became a tunnel. */
  get unframed(): boolean {
    return this.#state.at === 'unframed';
  }

  /** Reads `chunk`, calling the queue's `complete` for each response that ends in it. */
  push(chunk: Buffer): void {
    if (this.#state.at === 'unframed') return;
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    for (;;) {
      const state: State = this.#state;
      if (state.at === 'unframed') {
        this.#buffer = Buffer.alloc(0);
        return;
      }
      if (state.at === 'body' || state.at === 'chunk-data') {
        const n = Math.min(state.left, this.#buffer.length);
        this.#buffer = this.#buffer.subarray(n);
        state.left -= n;
        if (state.left > 0) return;
        if (state.at === 'body') this.#complete(state.close);
        else this.#state = { at: 'chunk-size', close: state.close };
        continue;
      }
      const end = this.#buffer.indexOf(state.at === 'head' ? HEAD_END : CRLF);
      if (end < 0) {
        if (this.#buffer.length > MAX_LINE_BYTES) this.#state = { at: 'unframed' };
        else return;
        continue;
      }
      const line = this.#buffer.subarray(0, end).toString('latin1');
      this.#buffer = this.#buffer.subarray(end + (state.at === 'head' ? 4 : 2));
      if (state.at === 'head') this.#state = this.#afterHead(line);
      else if (state.at === 'chunk-size') {
        const size = Number.parseInt(line.split(';')[0]!.trim(), 16);
        if (!Number.isFinite(size) || size < 0) this.#state = { at: 'unframed' };
        else this.#state = size === 0 ? { at: 'trailers', close: state.close } : { at: 'chunk-data', left: size + 2, close: state.close };
      } else if (line.length === 0) this.#complete(state.close);
    }
  }

  #complete(close: boolean): void {
    this.#state = { at: 'head' };
    this.#queue.complete(close);
  }

  #afterHead(head: string): State {
    const [statusLine = '', ...fields] = head.split('\r\n');
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]);
    const method = this.#queue.method();
    if (!Number.isInteger(status) || method === undefined || status === 101) return { at: 'unframed' };
    // An interim answer (100 Continue): the final one follows.
    if (status < 200) return { at: 'head' };
    const values = (name: string) =>
      fields.filter((f) => f.slice(0, f.indexOf(':')).trim().toLowerCase() === name).map((f) => f.slice(f.indexOf(':') + 1).trim().toLowerCase());
    const close = values('connection').some((v) => v.split(',').some((token) => token.trim() === 'close')) || statusLine.startsWith('HTTP/1.0');
    if (method === 'CONNECT' && status < 300) return { at: 'unframed' };
    if (method === 'HEAD' || status === 204 || status === 304) {
      this.#queue.complete(close);
      return { at: 'head' };
    }
    if (values('transfer-encoding').some((v) => v.includes('chunked'))) return { at: 'chunk-size', close };
    const lengths = values('content-length');
    const length = Number(lengths[0]);
    if (lengths.length === 0 || !Number.isSafeInteger(length) || length < 0) return { at: 'unframed' };
    if (length > 0) return { at: 'body', left: length, close };
    this.#queue.complete(close);
    return { at: 'head' };
  }
}
