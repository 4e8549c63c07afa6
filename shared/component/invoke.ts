/** Calls whichever HTTP export a component has, in one shape: the response, and the call's end. */
import { callIncomingHandler } from './http-bridge.ts';
import type { GuestWaits } from './run-meter.ts';
import { callInboundHttp } from './inbound-http.ts';
import { callSpin1Module } from './spin1/http.ts';
import type { Spin1Exports } from './spin1/module.ts';
import type { ComponentKind } from './prepare.ts';
import type { Limits } from '../limits.ts';
import { callWithoutWaiting } from '../host/host-waits.ts';

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

/** A synchronous glue's export: the host calls inside it may not wait. */
function withoutWaiting<T extends object>(handler: T, method: keyof T): T {
  const call = handler[method] as (...args: unknown[]) => unknown;
  return { [method]: (...args: unknown[]) => callWithoutWaiting(() => call.apply(handler, args)) } as T;
}

/** How the component runs: `body` is the request body already read, for glue without JSPI (`sync`). */
export interface InvokeOptions {
  sync?: boolean;
  body?: Uint8Array;
  /** When the guest waits, or only shares the thread (see http-bridge.ts). */
  waits?: GuestWaits;
  /** Request headers (lower-case) the component must not see (see RequestInfo in engine.ts). */
  hostHeaders?: readonly string[];
}

/**
 * The request's headers as the component sees them: without the host's own, with Spin's added.
 * Read when the component first asks for them (most never do): each step of a browser's
 * Headers iterator is a call into the browser (6–9 µs a request in the preview worker's
 * profile, for a browser request's dozen headers; 2.2 µs for five in a page).
 */
function* componentHeaders(request: Request, extraHeaders: Array<[string, string]>, hostHeaders: readonly string[] = []): Generator<[string, string]> {
  // Header names arrive lower-cased from the Headers iterator.
  for (const entry of request.headers) if (!hostHeaders.includes(entry[0])) yield entry;
  yield* extraHeaders;
}

export function invokeHttp(
  kind: ComponentKind,
  exports: Record<string, unknown>,
  request: Request,
  url: URL,
  extraHeaders: Array<[string, string]>,
  limits: Limits,
  options: InvokeOptions = {},
): Invocation {
  const headers = componentHeaders(request, extraHeaders, options.hostHeaders);
  if (kind === 'spin1-http') {
    const response = callSpin1Module((exports as unknown as Spin1Exports).spin1, request, url, [...headers], limits);
    return { response, done: response.then(() => undefined) };
  }
  if (kind === 'spin-inbound-http') {
    const raw = exportNamed(exports, 'inboundHttp', 'fermyon:spin/inbound-http') as Parameters<typeof callInboundHttp>[0];
    const handler = options.sync ? withoutWaiting(raw, 'handleRequest') : raw;
    const response = callInboundHttp(handler, request, url, [...headers], limits);
    return { response, done: response.then(() => undefined) };
  }
  const raw = exportNamed(exports, 'incomingHandler', 'wasi:http/incoming-handler') as Parameters<typeof callIncomingHandler>[0];
  const handler = options.sync ? withoutWaiting(raw, 'handle') : raw;
  return callIncomingHandler(handler, request, url, headers, { maxResponseBytes: limits.maxResponseBytes, body: options.body, waits: options.waits });
}
