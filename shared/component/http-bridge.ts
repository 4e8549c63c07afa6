/**
 * Web Request in, web Response out: drives a component's HTTP export for one request. A body
 * the component finishes at once is sent whole, with `content-length` (as Spin sends it); one
 * still being written when the component waits on something is streamed as it is written.
 */
import { ComponentTrap, responseTooLarge } from './errors.ts';
import { knownLengthResponse, nullBodyStatus } from './known-length.ts';
import { IncomingRequest, OutgoingResponse, ResponseOutparam, type BodySink, type ErrorCode } from '../host/wasi/http-types.ts';
import { concatBytes } from '../host/wasi/io.ts';
import { messageOf } from '../errors.ts';
import type { GuestWaits } from './run-meter.ts';

interface IncomingHandler {
  handle(request: IncomingRequest, out: ResponseOutparam): Promise<void>;
}

/** Bytes held back to learn a body's length before it is streamed instead. */
const WHOLE_BODY_BYTES = 1 << 20;

type Delivery = { whole: Uint8Array } | { stream: ReadableStream<Uint8Array> };

/**
 * The response body: held whole until it is finished (→ `whole`), or until it outgrows
 * `WHOLE_BODY_BYTES` or `stream()` is called (→ a ReadableStream with a byte high-water mark).
 * A body that fails before anything was delivered goes to `fail` (→ a 500); one that fails while
 * streaming errors the stream, so the client sees the transfer aborted.
 */
function bodyChannel(maxBytes: number, deliver: (body: Delivery) => void, fail: (err: ComponentTrap) => void) {
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  let held: Uint8Array[] | undefined = [];
  let heldBytes = 0;
  let written = 0;
  let settled = false;
  let overflow: ComponentTrap | undefined;
  let wake: (() => void) | undefined;
  const stream = (): void => {
    if (!held) return;
    const early = held;
    held = undefined;
    deliver({
      stream: new ReadableStream<Uint8Array>(
        {
          start: (c) => {
            controller = c;
            for (const chunk of early) c.enqueue(chunk);
          },
          pull: () => {
            wake?.();
            wake = undefined;
          },
        },
        new ByteLengthQueuingStrategy({ highWaterMark: 1 << 20 }),
      ),
    });
  };
  const failWith = (err: ComponentTrap): void => {
    if (settled) return;
    settled = true;
    if (held) {
      held = undefined;
      fail(err);
    } else controller?.error(err);
    wake?.();
  };
  const sink: BodySink & { settled: () => boolean; stream: () => void; overflow: () => ComponentTrap | undefined } = {
    write(chunk) {
      if (overflow) throw overflow;
      written += chunk.length;
      if (written > maxBytes) {
        overflow = responseTooLarge(maxBytes);
        failWith(overflow);
        throw overflow;
      }
      if (held) {
        held.push(chunk);
        heldBytes += chunk.length;
        if (heldBytes > WHOLE_BODY_BYTES) stream();
      } else controller?.enqueue(chunk);
    },
    // A failed body takes writes (and refuses them), so a guest never waits on it forever.
    capacity: () => (held || overflow ? WHOLE_BODY_BYTES : Math.max(0, controller?.desiredSize ?? 0)),
    drained: () => (overflow ? Promise.resolve() : new Promise<void>((resolve) => (wake = resolve))),
    finish() {
      if (settled) return;
      settled = true;
      if (!held) return controller?.close();
      const whole = concatBytes(held);
      held = undefined;
      deliver({ whole });
    },
    abort(reason) {
      failWith(new ComponentTrap(reason));
    },
    settled: () => settled,
    stream,
    overflow: () => overflow,
  };
  return sink;
}

export interface BridgeOptions {
  maxResponseBytes: number;
  /** The request body, already read (for a component that cannot wait on the host). */
  body?: Uint8Array;
  /** When the guest waits, or is suspended only to let others run (its time slice is over). */
  waits?: GuestWaits;
}

/** Runs `wasi:http/incoming-handler#handle`; resolves once the response and its body's framing are known. */
export function callIncomingHandler(
  handler: IncomingHandler,
  request: Request,
  url: URL,
  /** Every header the component sees (invoke.ts), read when it first asks. */
  headers: Iterable<[string, string]>,
  options: BridgeOptions,
): { response: Promise<Response>; done: Promise<void>; abort(reason: string): void } {
  let resolveResponse!: (r: Response) => void;
  let rejectResponse!: (e: unknown) => void;
  const response = new Promise<Response>((resolve, reject) => {
    resolveResponse = resolve;
    rejectResponse = reject;
  });
  let sink: ReturnType<typeof bodyChannel> | undefined;
  let outgoing: OutgoingResponse | undefined;

  const outparam = new ResponseOutparam((result) => {
    if (result.tag === 'err') {
      rejectResponse(new ComponentTrap(`the component answered with error-code ${describe(result.val)}`));
      return;
    }
    const status = result.val.statusCode();
    if (status < 200 || status > 599) {
      rejectResponse(new ComponentTrap(`the component set an unsupported status ${status}`));
      return;
    }
    outgoing = result.val;
    const headers = outgoing.headers().toHeaders();
    if (nullBodyStatus.has(status)) {
      resolveResponse(new Response(null, { status, headers }));
      return;
    }
    sink = bodyChannel(
      options.maxResponseBytes,
      (body) => resolveResponse('whole' in body ? knownLengthResponse(status, headers, body.whole) : new Response(body.stream, { status, headers })),
      rejectResponse,
    );
    outgoing.attachBody(sink);
    // Once the component waits on anything but its own writes (a timer, the network), what it
    // wrote so far goes out as a stream: its length is not known yet. A guest that only shares
    // the thread is still writing. The check is armed at the guest's first wait (a component
    // that answers without waiting costs no timer) and runs a turn later, so that a wait
    // answered within the same turn does not count.
    const pending = sink;
    const streamWhenWaiting = (): void => {
      if (!outgoing?.hasBody() || pending.settled()) return;
      if (options.waits?.yielding()) setTimeout(streamWhenWaiting, 0);
      else pending.stream();
    };
    if (options.waits) options.waits.onNextWait(() => setTimeout(streamWhenWaiting, 0));
    else setTimeout(streamWhenWaiting, 0);
  });

  const incoming = new IncomingRequest(request, url, headers, options.body ?? request.body);
  const done = Promise.resolve()
    .then(() => handler.handle(incoming, outparam))
    .then(
      () => {
        if (!outparam.used) rejectResponse(new ComponentTrap('the component returned without setting a response'));
        // The limit is why the component failed, whatever it did after its write was refused.
        const overflow = sink?.overflow();
        if (overflow) throw overflow;
        // A body never taken is empty; one taken and never finished ends where the component
        // left it, as in Spin (guests that write an empty body often never finish it).
        if (sink && !sink.settled()) sink.finish();
      },
      (err: unknown) => {
        const cause = sink?.overflow() ?? err;
        rejectResponse(cause);
        sink?.abort(messageOf(cause));
        throw cause;
      },
    );
  return { response, done, abort: (reason) => sink?.abort(reason) };
}

function describe(code: ErrorCode): string {
  return code.val === undefined ? code.tag : `${code.tag} (${JSON.stringify(code.val, (_k, v) => (typeof v === 'bigint' ? String(v) : v))})`;
}
