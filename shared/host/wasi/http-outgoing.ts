/** wasi:http outgoing requests and the outgoing-handler, checked against the app's allowed hosts. */
import { Fields, methodToString, schemeToString, type Method, type Scheme } from './http-fields.ts';
import { FutureIncomingResponse, OutgoingBody, noPayload, type BodySink, type ErrorCode, type RequestOptions } from './http-types.ts';
import { concatBytes, wasiError } from './io.ts';


export class OutgoingRequest {
  #method: Method = { tag: 'get' };
  #pathWithQuery: string | undefined;
  #scheme: Scheme | undefined;
  #authority: string | undefined;
  readonly #headers: Fields;
  #bodyTaken = false;
  #chunks: Uint8Array[] = [];
  #finished: (() => void) | undefined;
  /** Resolves with the whole body once the guest finishes it; null when it never took one. */
  #body: Promise<Uint8Array | null> = Promise.resolve(null);

  constructor(headers: Fields) {
    this.#headers = headers;
  }
  body(): OutgoingBody {
    if (this.#bodyTaken) throw noPayload();
    this.#bodyTaken = true;
    let fail: (reason: Error) => void = () => {};
    this.#body = new Promise<Uint8Array | null>((resolve, reject) => {
      this.#finished = () => resolve(concatBytes(this.#chunks));
      fail = reject;
    });
    const sink: BodySink = {
      write: (chunk) => void this.#chunks.push(chunk),
      finish: () => this.#finished?.(),
      abort: (reason) => fail(new Error(reason)),
    };
    return new OutgoingBody(sink);
  }
  method(): Method {
    return this.#method;
  }
  setMethod(method: Method): void {
    this.#method = method;
  }
  pathWithQuery(): string | undefined {
    return this.#pathWithQuery;
  }
  setPathWithQuery(path: string | undefined): void {
    this.#pathWithQuery = path;
  }
  scheme(): Scheme | undefined {
    return this.#scheme;
  }
  setScheme(scheme: Scheme | undefined): void {
    this.#scheme = scheme;
  }
  authority(): string | undefined {
    return this.#authority;
  }
  setAuthority(authority: string | undefined): void {
    this.#authority = authority;
  }
  headers(): Fields {
    return this.#headers.frozen();
  }

  /** Host side: the target URL, or undefined when the guest left it incomplete. */
  url(): URL | undefined {
    if (!this.#authority) return undefined;
    const scheme = this.#scheme ? schemeToString(this.#scheme) : 'https';
    try {
      return new URL(`${scheme}://${this.#authority}${this.#pathWithQuery ?? '/'}`);
    } catch {
      return undefined;
    }
  }
  /** Host side: a web request, once the guest has finished writing the body. */
  async toRequest(url: URL): Promise<Request> {
    const body = await this.#body;
    const method = methodToString(this.#method);
    return new Request(url, {
      method,
      headers: this.#headers.toHeaders(),
      body: body && body.length > 0 && method !== 'GET' && method !== 'HEAD' ? (body as BodyInit) : null,
    });
  }
}

export interface OutgoingHandlerOptions {
  fetch: (request: Request) => Promise<Response>;
  /** Whether the component may reach this URL (its allowed_outbound_hosts). */
  allows: (url: URL) => boolean;
  /** Told about each refused request so the user can see why. */
  denied: (url: string) => void;
}

export function outgoingHandler(current: () => OutgoingHandlerOptions) {
  return {
    handle(request: OutgoingRequest, _options: RequestOptions | undefined): FutureIncomingResponse {
      const options = current();
      const url = request.url();
      if (!url) throw wasiError<ErrorCode>({ tag: 'HTTP-request-URI-invalid' });
      if (!options.allows(url)) {
        options.denied(url.href);
        // As Spin does: the request is accepted and its response fails, so a guest still
        // writing a body is not left waiting on a request that was refused.
        return new FutureIncomingResponse(Promise.reject({ errorCode: { tag: 'HTTP-request-denied' } satisfies ErrorCode }));
      }
      return new FutureIncomingResponse(request.toRequest(url).then(options.fetch));
    },
  };
}
