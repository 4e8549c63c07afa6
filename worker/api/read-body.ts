/** Reads a request body, refusing it as soon as it passes `maxBytes` or its deadline. */
import { TwirlError } from '../../shared/errors.ts';
import { formatBytes } from '../published/archive.ts';
import { DRAIN_FACTOR } from '../request-body.ts';

const archiveTooLarge = (maxBytes: number) => () =>
  new TwirlError('archive-too-large', `the archive is larger than ${formatBytes(maxBytes)}, the limit for a published app`);

/** Time a client may take to send a body the platform reads (a publish, a relayed call). */
export const DEFAULT_BODY_DEADLINE_MS = 60_000;

const tooSlow = (deadlineMs: number) =>
  new TwirlError('request-body-too-slow', `the request body did not arrive within ${deadlineMs / 1000} s`);

/**
 * `request` may be a response too: anything with headers and a body. A body over `maxBytes` is
 * still read (and dropped) up to `DRAIN_FACTOR` times the limit before the refusal goes out: a
 * refusal sent while the client is still writing is lost to a connection reset (request-body.ts).
 */
export async function readCappedBody(
  request: Pick<Request, 'headers' | 'body'>,
  maxBytes: number,
  tooLarge = archiveTooLarge(maxBytes),
  deadlineMs = DEFAULT_BODY_DEADLINE_MS,
): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length'));
  const drainable = DRAIN_FACTOR * maxBytes;
  if (declared > drainable) throw tooLarge();
  if (!request.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = request.body.getReader();
  let timer: ReturnType<typeof setTimeout> | null = null;
  const expired = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(tooSlow(deadlineMs)), deadlineMs)));
  expired.catch(() => {});
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), expired]);
      if (done) break;
      total += value.byteLength;
      if (total > drainable) {
        await reader.cancel();
        throw tooLarge();
      }
      if (total <= maxBytes) chunks.push(value);
    }
  } finally {
    clearTimeout(timer);
  }
  if (total > maxBytes || declared > maxBytes) throw tooLarge();
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/**
 * Read and drop what the client sends before answering: a client still writing its archive when
 * a refusal comes and the connection closes sees a reset instead of the refusal.
 */
export async function discardBody(request: Request, maxBytes: number, deadlineMs = DEFAULT_BODY_DEADLINE_MS): Promise<void> {
  if (!request.body) return;
  const reader = request.body.getReader();
  const deadline = Date.now() + deadlineMs;
  for (let total = 0; ; ) {
    const left = deadline - Date.now();
    let timer: ReturnType<typeof setTimeout> | null = null;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), Math.max(0, left))));
    const result = await Promise.race([reader.read(), late]);
    clearTimeout(timer);
    if (result === 'late') return;
    if (result.done) return;
    total += result.value.byteLength;
    if (total > maxBytes) return reader.cancel();
  }
}
