/** Calls whichever HTTP export a component has, in one shape: the response, and the call's end. */
import { callIncomingHandler } from './http-bridge.ts';
import { callInboundHttp } from './inbound-http.ts';
import { callSpin1Module } from './spin1/http.ts';
import type { Spin1Exports } from './spin1/module.ts';
import type { ComponentKind } from './prepare.ts';
import type { Limits } from '../limits.ts';

export interface Invocation {
  /** Resolves once the component has set its response (its body may still be streaming). */
  response: Promise<Response>;
  /** Settles when the component's export returns; rejects when it trapped. */
  done: Promise<void>;
  /** Ends a body still streaming with an error: the client sees it cut, never a clean end. */
  abort?(reason: string): void;
}

function exportNamed(exports: Record<string, unknown>, short: string, prefix: string): unknown {
  return exports[short] ?? Object.entries(exports).find(([name]) => name.startsWith(prefix))?.[1];
}

export function invokeHttp(
  kind: ComponentKind,
  exports: Record<string, unknown>,
  request: Request,
  url: URL,
  extraHeaders: Array<[string, string]>,
  limits: Limits,
): Invocation {
  if (kind === 'spin1-http') {
    const response = callSpin1Module((exports as unknown as Spin1Exports).spin1, request, url, extraHeaders, limits);
    return { response, done: response.then(() => undefined) };
  }
  if (kind === 'spin-inbound-http') {
    const handler = exportNamed(exports, 'inboundHttp', 'fermyon:spin/inbound-http') as Parameters<typeof callInboundHttp>[0];
    const response = callInboundHttp(handler, request, url, extraHeaders, limits);
    return { response, done: response.then(() => undefined) };
  }
  const handler = exportNamed(exports, 'incomingHandler', 'wasi:http/incoming-handler') as Parameters<typeof callIncomingHandler>[0];
  return callIncomingHandler(handler, request, url, extraHeaders, { maxResponseBytes: limits.maxResponseBytes });
}
