/**
 * Web Request in, web Response out: drives a component's HTTP export for one request and
 * streams its response body as the component writes it.
 */
import { ComponentTrap } from './errors.ts';
import { IncomingRequest, OutgoingResponse, ResponseOutparam, type BodySink, type ErrorCode } from '../host/wasi/http-types.ts';
import { messageOf } from '../errors.ts';

interface IncomingHandler {
  handle(request: IncomingRequest, out: ResponseOutparam): Promise<void>;
}

const nullBodyStatus = new Set([101, 103, 204, 205, 304]);

/** A ReadableStream fed by the component's writes, with a byte-count high-water mark. */
function bodyChannel(maxBytes: number) {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let written = 0;
  let settled = false;
  let wake: (() => void) | undefined;
  const stream = new ReadableStream<Uint8Array>(
    {
      start: (c) => void (controller = c),
      pull: () => {
        wake?.();
        wake = undefined;
      },
    },
    new ByteLengthQueuingStrategy({ highWaterMark: 1 << 20 }),
  );
  const sink: BodySink & { settled: () => boolean } = {
    write(chunk) {
      written += chunk.length;
      if (written > maxBytes) throw new Error(`response body larger than ${maxBytes} bytes`);
      controller.enqueue(chunk);
    },
    capacity: () => Math.max(0, controller.desiredSize ?? 0),
    drained: () => new Promise<void>((resolve) => (wake = resolve)),
    finish() {
      if (settled) return;
      settled = true;
      controller.close();
    },
    abort(reason) {
      if (settled) return;
      settled = true;
      controller.error(new ComponentTrap(reason));
    },
    settled: () => settled,
  };
  return { stream, sink };
}

export interface BridgeOptions {
  maxResponseBytes: number;
}

/** Runs `wasi:http/incoming-handler#handle` and resolves as soon as the component sets its response. */
export function callIncomingHandler(
  handler: IncomingHandler,
  request: Request,
  url: URL,
  extraHeaders: Array<[string, string]>,
  options: BridgeOptions,
): { response: Promise<Response>; done: Promise<void> } {
  let resolveResponse!: (r: Response) => void;
  let rejectResponse!: (e: unknown) => void;
  const response = new Promise<Response>((resolve, reject) => {
    resolveResponse = resolve;
    rejectResponse = reject;
  });
  let sink: (BodySink & { settled: () => boolean }) | undefined;

  const outparam = new ResponseOutparam((result) => {
    if (result.tag === 'err') {
      rejectResponse(new ComponentTrap(`the component answered with error-code ${describe(result.val)}`));
      return;
    }
    const outgoing: OutgoingResponse = result.val;
    const status = outgoing.statusCode();
    if (status < 200 || status > 599) {
      rejectResponse(new ComponentTrap(`the component set an unsupported status ${status}`));
      return;
    }
    const channel = bodyChannel(options.maxResponseBytes);
    sink = channel.sink;
    const headers = outgoing.headers().toHeaders();
    resolveResponse(new Response(nullBodyStatus.has(status) ? null : channel.stream, { status, headers }));
    outgoing.attachBody(channel.sink);
  });

  const incoming = new IncomingRequest(request, url, extraHeaders);
  const done = Promise.resolve()
    .then(() => handler.handle(incoming, outparam))
    .then(
      () => {
        if (!outparam.used) rejectResponse(new ComponentTrap('the component returned without setting a response'));
        // A body never taken is empty; one taken and never finished was cut short.
        else if (sink && !sink.settled()) sink.finish();
      },
      (err: unknown) => {
        rejectResponse(err);
        sink?.abort(messageOf(err));
        throw err;
      },
    );
  return { response, done };
}

function describe(code: ErrorCode): string {
  return code.val === undefined ? code.tag : `${code.tag} (${JSON.stringify(code.val, (_k, v) => (typeof v === 'bigint' ? String(v) : v))})`;
}
