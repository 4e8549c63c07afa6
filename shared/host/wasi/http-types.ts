/** wasi:http/types resources: requests, responses and their bodies, bridged to web streams. */
import { Fields, methodFromString, schemeFromProtocol, type Method, type Scheme } from './http-fields.ts';
import { InputStream, IoError, OutputStream, Pollable, wasiError, type ByteSink } from './io.ts';
import { messageOf } from '../../errors.ts';

export { Fields } from './http-fields.ts';

export type ErrorCode = { tag: string; val?: unknown };
type Result<T, E> = { tag: 'ok'; val: T } | { tag: 'err'; val: E };
/** The `err` case of a `result<T>` that carries no error value. */
export const noPayload = (): { payload: undefined } => wasiError(undefined);

export class IncomingBody {
  #stream: InputStream | undefined;
  #taken = false;
  constructor(stream: InputStream) {
    this.#stream = stream;
  }
  stream(): InputStream {
    if (this.#taken || !this.#stream) throw noPayload();
    this.#taken = true;
    return this.#stream;
  }
  static finish(_body: IncomingBody): FutureTrailers {
    return new FutureTrailers();
  }
}

export class FutureTrailers {
  #taken = false;
  subscribe(): Pollable {
    return Pollable.ready();
  }
  get(): Result<Result<Fields | undefined, ErrorCode>, void> {
    if (this.#taken) return { tag: 'err', val: undefined };
    this.#taken = true;
    return { tag: 'ok', val: { tag: 'ok', val: undefined } };
  }
}

/** A request or response arriving at the guest: immutable headers, a body taken at most once. */
class IncomingMessage {
  readonly #headers: Fields;
  #body: IncomingBody | undefined;
  constructor(headers: Fields, body: ReadableStream<Uint8Array> | Uint8Array | null, what: string) {
    this.#headers = headers;
    this.#body = new IncomingBody(new InputStream(body, what));
  }
  headers(): Fields {
    return this.#headers;
  }
  consume(): IncomingBody {
    const body = this.#body;
    if (!body) throw noPayload();
    this.#body = undefined;
    return body;
  }
}

export class IncomingRequest extends IncomingMessage {
  readonly #method: Method;
  readonly #pathWithQuery: string;
  readonly #scheme: Scheme;
  readonly #authority: string;

  /**
   * Host side: the guest's view of a web request, with `headers` as the guest sees them (the
   * request's and Spin's, read when it first asks); `body`, when given, is the request's body
   * already read (a guest that cannot wait reads it at once).
   */
  constructor(request: Request, url: URL, headers: Iterable<[string, string]>, body: Uint8Array | ReadableStream<Uint8Array> | null = request.body) {
    super(Fields.fromHeaders(headers), body, 'the request body');
    this.#method = methodFromString(request.method);
    this.#pathWithQuery = url.pathname + url.search;
    this.#scheme = schemeFromProtocol(url.protocol);
    this.#authority = url.host;
  }
  method(): Method {
    return this.#method;
  }
  pathWithQuery(): string {
    return this.#pathWithQuery;
  }
  scheme(): Scheme {
    return this.#scheme;
  }
  authority(): string {
    return this.#authority;
  }
}

/** What an outgoing body does with its bytes, and what happens when it ends. */
export interface BodySink extends ByteSink {
  finish(): void;
  /** The guest dropped the body without finishing it. */
  abort(reason: string): void;
}

export class OutgoingBody {
  readonly #sink: BodySink;
  #stream: OutputStream | undefined;
  #writeTaken = false;
  #done = false;
  constructor(sink: BodySink) {
    this.#sink = sink;
  }
  write(): OutputStream {
    if (this.#writeTaken) throw noPayload();
    this.#writeTaken = true;
    this.#stream = new OutputStream(this.#sink);
    return this.#stream;
  }
  static finish(body: OutgoingBody, _trailers: Fields | undefined): void {
    body.#done = true;
    body.#stream?.close();
    body.#sink.finish();
  }
  [Symbol.dispose](): void {
    if (this.#done) return;
    this.#done = true;
    this.#stream?.close();
    this.#sink.abort('the component dropped the body without finishing it');
  }
}

export class OutgoingResponse {
  #status = 200;
  readonly #headers: Fields;
  #bodyTaken = false;
  #bodySink: BodySink | undefined;
  #deferred: DeferredSink | undefined;

  constructor(headers: Fields) {
    this.#headers = headers;
  }
  statusCode(): number {
    return this.#status;
  }
  setStatusCode(status: number): void {
    if (status < 100 || status > 999) throw noPayload();
    this.#status = status;
  }
  headers(): Fields {
    return this.#headers.frozen();
  }
  body(): OutgoingBody {
    if (this.#bodyTaken) throw noPayload();
    this.#bodyTaken = true;
    this.#deferred = new DeferredSink(() => this.#bodySink);
    return new OutgoingBody(this.#deferred);
  }
  /** Host side: whether the guest took the body at all (one never taken is empty). */
  hasBody(): boolean {
    return this.#bodyTaken;
  }
  /** Host side: where the body's bytes go from now on, including any written before. */
  attachBody(sink: BodySink): void {
    this.#bodySink = sink;
    this.#deferred?.flushEarly();
  }
}

/**
 * The response body may be taken before the response is handed to the host (guests often do
 * `body()` then `set`), so bytes written before then are buffered.
 */
class DeferredSink implements BodySink {
  readonly #target: () => BodySink | undefined;
  #early: Array<(sink: BodySink) => void> = [];
  constructor(target: () => BodySink | undefined) {
    this.#target = target;
  }
  #with(action: (sink: BodySink) => void): void {
    const sink = this.#target();
    if (sink) {
      for (const queued of this.#early.splice(0)) queued(sink);
      action(sink);
    } else {
      this.#early.push(action);
    }
  }
  /** Host side: replays what was written before the sink existed. */
  flushEarly(): void {
    this.#with(() => {});
  }
  write(chunk: Uint8Array): void {
    this.#with((s) => s.write(chunk));
  }
  capacity(): number {
    return this.#target()?.capacity?.() ?? 1 << 20;
  }
  drained(): Promise<void> {
    return this.#target()?.drained?.() ?? Promise.resolve();
  }
  finish(): void {
    this.#with((s) => s.finish());
  }
  abort(reason: string): void {
    this.#with((s) => s.abort(reason));
  }
}

export class ResponseOutparam {
  readonly #deliver: (result: Result<OutgoingResponse, ErrorCode>) => void;
  #used = false;
  /** Host side: `deliver` receives what the guest sets, once. */
  constructor(deliver: (result: Result<OutgoingResponse, ErrorCode>) => void) {
    this.#deliver = deliver;
  }
  static set(param: ResponseOutparam, response: Result<OutgoingResponse, ErrorCode>): void {
    if (param.#used) throw new Error('response-outparam.set called twice');
    param.#used = true;
    param.#deliver(response);
  }
  get used(): boolean {
    return this.#used;
  }
}

export class RequestOptions {
  #connect: bigint | undefined;
  #firstByte: bigint | undefined;
  #betweenBytes: bigint | undefined;
  connectTimeout(): bigint | undefined {
    return this.#connect;
  }
  setConnectTimeout(d: bigint | undefined): void {
    this.#connect = d;
  }
  firstByteTimeout(): bigint | undefined {
    return this.#firstByte;
  }
  setFirstByteTimeout(d: bigint | undefined): void {
    this.#firstByte = d;
  }
  betweenBytesTimeout(): bigint | undefined {
    return this.#betweenBytes;
  }
  setBetweenBytesTimeout(d: bigint | undefined): void {
    this.#betweenBytes = d;
  }
}

export class IncomingResponse extends IncomingMessage {
  readonly #status: number;
  constructor(response: Response) {
    super(Fields.fromHeaders(response.headers), response.body, 'an outbound HTTP response body');
    this.#status = response.status;
  }
  status(): number {
    return this.#status;
  }
}

export class FutureIncomingResponse {
  #outcome: Result<IncomingResponse, ErrorCode> | undefined;
  #taken = false;
  readonly #settled: Promise<void>;
  constructor(response: Promise<Response>) {
    this.#settled = response.then(
      (r) => {
        this.#outcome = { tag: 'ok', val: new IncomingResponse(r) };
      },
      (err: unknown) => {
        this.#outcome = { tag: 'err', val: toErrorCode(err) };
      },
    );
  }
  subscribe(): Pollable {
    return new Pollable(() => this.#outcome !== undefined, () => this.#settled, 'an outbound HTTP response');
  }
  get(): Result<Result<IncomingResponse, ErrorCode>, void> | undefined {
    if (!this.#outcome) return undefined;
    if (this.#taken) return { tag: 'err', val: undefined };
    this.#taken = true;
    return { tag: 'ok', val: this.#outcome };
  }
}

/** An outbound failure as a wasi:http error-code; a thrown `{ errorCode }` passes through as is. */
export function toErrorCode(err: unknown): ErrorCode {
  if (err && typeof err === 'object' && 'errorCode' in err) return (err as { errorCode: ErrorCode }).errorCode;
  const message = messageOf(err);
  return { tag: 'internal-error', val: message };
}

export function httpErrorCode(err: IoError): ErrorCode | undefined {
  return err.message ? { tag: 'internal-error', val: err.message } : undefined;
}
