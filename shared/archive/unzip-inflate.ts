/**
 * The deflate decoder for fflate's zip reader, with pako's inflater, fed by the reader rather
 * than by fflate: what fflate hands over is only queued, and `step` inflates a few hundred
 * bytes of it at a time, so however much compressed data one push carries, no single step
 * inflates more than ~1,032× its size, and the reader can yield between steps. pako keeps its
 * window between pushes, so the small steps cost honest data next to nothing (fflate's own
 * inflater copies its 32 KiB window on every push).
 */
import type { AsyncFlateStreamHandler, FlateError, UnzipDecoder } from 'fflate';
import { Inflate } from 'pako';

export class QueuedInflate implements UnzipDecoder {
  static compression = 8;
  ondata: AsyncFlateStreamHandler = () => {};
  private readonly inflate = new Inflate({ raw: true });
  private readonly queue: Uint8Array[] = [];
  private final = false;
  private done = false;

  constructor() {
    this.inflate.onData = (chunk) => this.ondata(null, chunk, false);
  }

  push(chunk: Uint8Array, final: boolean): void {
    if (chunk.length) this.queue.push(chunk);
    if (final) this.final = true;
  }

  /** Whether queued data, or the end of the entry, is still to be inflated. */
  get busy(): boolean {
    return !this.done && (this.queue.length > 0 || this.final);
  }

  /** Whether the entry is inflated to its end (or failed). */
  get finished(): boolean {
    return this.done;
  }

  /** Inflates up to `max` queued compressed bytes; returns how many were taken. */
  step(max: number): number {
    const head = this.queue[0];
    const piece = head ? head.subarray(0, max) : new Uint8Array(0);
    if (head) {
      if (piece.length === head.length) this.queue.shift();
      else this.queue[0] = head.subarray(max);
    }
    const last = this.final && this.queue.length === 0;
    try {
      if (!this.inflate.push(piece, last)) throw new Error(this.inflate.msg || 'invalid deflate data');
    } catch (err) {
      this.done = true;
      // As fflate's own decoders do: the error goes to the entry's handler, which throws it.
      this.ondata(err as FlateError, null as unknown as Uint8Array<ArrayBuffer>, true);
      return piece.length;
    }
    if (last) {
      this.done = true;
      this.ondata(null, new Uint8Array(0), true);
    }
    return piece.length;
  }
}
