/** A web Request through a Spin 1.x module's `handle-http-request`: whole request in, whole response out. */
import { ComponentTrap, responseTooLarge } from '../errors.ts';
import { knownLengthResponse } from '../known-length.ts';
import { InputStream } from '../../host/wasi/io.ts';
import type { Spin1Exports } from './module.ts';

export async function callSpin1Module(
  handler: Spin1Exports['spin1'],
  request: Request,
  url: URL,
  /** Every header the component sees (invoke.ts). */
  headers: Array<[string, string]>,
  limits: { maxRequestBytes: number; maxResponseBytes: number },
): Promise<Response> {
  const body = await new InputStream(request.body).readAll(limits.maxRequestBytes);
  const reply = await handler.handleHttpRequest({
    method: request.method,
    uri: url.pathname + url.search,
    headers,
    body: body.length > 0 ? body : undefined,
  });
  if (reply.status < 200 || reply.status > 599) throw new ComponentTrap(`the Spin 1.x module set an unsupported status ${reply.status}`);
  if (reply.body && reply.body.length > limits.maxResponseBytes) throw responseTooLarge(limits.maxResponseBytes);
  return knownLengthResponse(reply.status, new Headers(reply.headers ?? []), reply.body ?? null);
}
