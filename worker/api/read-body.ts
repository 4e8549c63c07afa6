/** Reads a request body, refusing it as soon as it passes `maxBytes` (before it is all received). */
import { TwirlError } from '../../shared/errors.ts';
import { formatBytes } from '../published/archive.ts';

const archiveTooLarge = (maxBytes: number) => () =>
  new TwirlError('archive-too-large', `the archive is larger than ${formatBytes(maxBytes)}, the limit for a published app`);

/** `request` may be a response too: anything with headers and a body. */
export async function readCappedBody(request: Pick<Request, 'headers' | 'body'>, maxBytes: number, tooLarge = archiveTooLarge(maxBytes)): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length'));
  if (declared > maxBytes) throw tooLarge();
  if (!request.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
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
export async function discardBody(request: Request, maxBytes: number): Promise<void> {
  if (!request.body) return;
  const reader = request.body.getReader();
  for (let total = 0; ; ) {
    const { done, value } = await reader.read();
    if (done) return;
    total += value.byteLength;
    if (total > maxBytes) return reader.cancel();
  }
}
