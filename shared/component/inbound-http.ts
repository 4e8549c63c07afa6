/** `fermyon:spin/inbound-http@2.0.0`: whole request in, whole response out. */
import { ComponentTrap, responseTooLarge } from './errors.ts';
import { InputStream } from '../host/wasi/io.ts';
import { knownLengthResponse } from './known-length.ts';

interface SpinRequest {
  method: string;
  uri: string;
  headers: Array<[string, string]>;
  params: Array<[string, string]>;
  body: Uint8Array | undefined;
}
interface SpinResponse {
  status: number;
  headers?: Array<[string, string]>;
  body?: Uint8Array;
}
interface InboundHttp {
  handleRequest(request: SpinRequest): Promise<SpinResponse>;
}

const methods = new Set(['get', 'post', 'put', 'delete', 'patch', 'head', 'options']);

export async function callInboundHttp(
  handler: InboundHttp,
  request: Request,
  url: URL,
  /** Every header the component sees (invoke.ts). */
  headers: Array<[string, string]>,
  limits: { maxRequestBytes: number; maxResponseBytes: number },
): Promise<Response> {
  const method = request.method.toLowerCase();
  if (!methods.has(method)) return new Response(null, { status: 405 });
  const body = await new InputStream(request.body).readAll(limits.maxRequestBytes);
  const reply = await handler.handleRequest({
    method,
    uri: url.pathname + url.search,
    headers,
    params: [],
    body: body.length > 0 ? body : undefined,
  });
  if (reply.status < 200 || reply.status > 599) throw new ComponentTrap(`the component set an unsupported status ${reply.status}`);
  if (reply.body && reply.body.length > limits.maxResponseBytes) throw responseTooLarge(limits.maxResponseBytes);
  return knownLengthResponse(reply.status, new Headers(reply.headers ?? []), reply.body ?? null);
}
