/**
 * A request's body is received to its end before its answer is complete. workerd's HTTP server
 * reads at most 64 KiB of a body nobody read, then closes the connection with the rest unread —
 * and a socket closed with bytes unread is reset: the client sees ECONNRESET instead of the
 * answer (a 413 included), and its kept-alive connection is lost. A client that sends its body
 * too slowly is answered 408 at a deadline instead of holding its request open.
 */

/** How much of a body an answer waits for, as a multiple of what the request may carry: a little over the limit is drained (and refused cleanly), a flood is not. */
export const DRAIN_FACTOR = 2;

export interface ReceivingBody {
  /** The request as the app sees it: its body is read through here. */
  request: Request;
  /** Reads and drops what the app left unread: to its end, unless it passes `maxBytes` or the deadline passes first. */
  drain(): Promise<void>;
  /** The deadline passed before the body ended. */
  late(): boolean;
  /** The app has started reading the body and has not reached its end: it may still be reading. */
  reading(): boolean;
  /** Stops the deadline's timer (the request is answered). */
  close(): void;
}

export interface BodyBudget {
  /** Bytes drained at most; a declared length over it is not drained at all. */
  maxBytes: number;
  /** Time from now within which the body must have ended. */
  deadlineMs: number;
}

export function receiveBody(request: Request, budget: BodyBudget): ReceivingBody {
  if (!request.body) return { request, drain: async () => {}, late: () => false, reading: () => false, close: () => {} };
  const reader = request.body.getReader();
  let received = 0;
  let ended = false;
  let late = false;
  let pulled = false;
  let expire!: (err: Error) => void;
  const expired = new Promise<never>((_, reject) => (expire = reject));
  expired.catch(() => {});
  const timer = setTimeout(() => {
    late = true;
    expire(new RequestBodyTooSlow(budget.deadlineMs));
  }, budget.deadlineMs);
  // workerd's request streams allow one pending read at a time: the app's reads and the drain take turns.
  let turn: Promise<unknown> = Promise.resolve();
  const readOnce = async () => {
    const result = await Promise.race([reader.read(), expired]);
    if (result.done) {
      ended = true;
      clearTimeout(timer);
    } else received += result.value.byteLength;
    return result;
  };
  const read = () => {
    const result = turn.then(readOnce);
    turn = result.catch(() => {});
    return result;
  };
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        pulled = true;
        const { done, value } = await read();
        if (done) controller.close();
        else controller.enqueue(value);
      },
      // The app wants no more; what is left is drained before the answer completes.
      cancel() {},
    },
    { highWaterMark: 0 },
  );
  const declared = Number(request.headers.get('content-length') ?? 0);
  return {
    request: new Request(request, { body, duplex: 'half' } as RequestInit),
    async drain() {
      if (declared > budget.maxBytes) return;
      try {
        while (!ended && received <= budget.maxBytes) await read();
      } catch {
        // Late or broken: the answer goes out without the rest.
      }
    },
    late: () => late,
    reading: () => pulled && !ended,
    close: () => clearTimeout(timer),
  };
}

export class RequestBodyTooSlow extends Error {
  constructor(deadlineMs: number) {
    super(`the request body did not arrive within ${deadlineMs / 1000} s`);
    this.name = 'RequestBodyTooSlow';
  }
}

/**
 * `response`, complete only once the request's body is drained: it waits for the drain before it
 * is returned — unless it streams while its app may still be reading the request (both ways at
 * once): then its stream ends once the rest is drained.
 */
export async function afterBody(response: Response, body: ReceivingBody): Promise<Response> {
  if (!response.body || response.headers.has('content-length') || !body.reading()) {
    await body.drain();
    body.close();
    return response;
  }
  const drained = response.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      async flush() {
        await body.drain();
        body.close();
      },
    }),
  );
  return new Response(drained, response);
}
