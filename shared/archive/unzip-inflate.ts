/**
 * The deflate decoder for fflate's zip reader, with pako's inflater: pako keeps its window
 * between pushes, so the small steps that keep a zip bomb's every step short cost next to
 * nothing on honest data (fflate's own inflater copies its 32 KiB window on every push).
 */
import type { AsyncFlateStreamHandler, FlateError, UnzipDecoder } from 'fflate';
import { Inflate } from 'pako';

export class UnzipPakoInflate implements UnzipDecoder {
  static compression = 8;
  ondata: AsyncFlateStreamHandler = () => {};
  private readonly inflate = new Inflate({ raw: true });

  constructor() {
    this.inflate.onData = (chunk) => this.ondata(null, chunk, false);
  }

  push(chunk: Uint8Array, final: boolean): void {
    try {
      if (!this.inflate.push(chunk, final)) throw new Error(this.inflate.msg || 'invalid deflate data');
    } catch (err) {
      // As fflate's own decoders do: the error goes to the entry's handler, which throws it.
      this.ondata(err as FlateError, null as unknown as Uint8Array<ArrayBuffer>, final);
      return;
    }
    if (final) this.ondata(null, new Uint8Array(0), true);
  }
}
