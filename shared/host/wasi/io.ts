/**
 * wasi:io — pollables, errors and byte streams. Every other WASI interface the engine offers
 * (http bodies, stdout, files) is built on these two stream classes.
 */
import { messageOf } from '../../errors.ts';
import { answerNow, cannotWait, waitingIsImpossible } from '../host-waits.ts';

/** Thrown to hand the guest the `err` case of a `result`; jco reads `payload`. */
export function wasiError<T>(payload: T): { payload: T } {
  return { payload };
}

export class IoError {
  readonly message: string;
  constructor(message: string) {
    this.message = message;
  }
  toDebugString(): string {
    return this.message;
  }
}

/** Something the guest can wait on: `ready` says whether waiting would return at once. */
export class Pollable {
  readonly #ready: () => boolean;
  readonly #wait: () => Promise<unknown>;
  /** What the guest waits for, in words (a guest that cannot wait is told). */
  readonly what: string;
  /** When it becomes ready by itself (a timer), in `performance.now()` time. */
  readonly due: number | undefined;
  constructor(ready: () => boolean, wait: () => Promise<unknown>, what = 'a stream the host had not filled yet', due?: number) {
    this.#ready = ready;
    this.#wait = wait;
    this.what = what;
    this.due = due;
  }
  static ready(): Pollable {
    return new Pollable(() => true, () => Promise.resolve());
  }
  ready(): boolean {
    return this.#ready();
  }
  /** Async (JSPI): suspends the guest until ready; answers at once when it is. */
  block(): void | Promise<void> {
    if (this.#ready()) return;
    if (waitingIsImpossible()) {
      waitWithoutSuspending([this]);
      return;
    }
    return (async () => {
      while (!this.#ready()) await this.#wait();
    })();
  }
  wait(): Promise<unknown> {
    return this.#ready() ? Promise.resolve() : this.#wait();
  }
}

const readyOf = (pollables: Pollable[]): number[] => pollables.flatMap((p, i) => (p.ready() ? [i] : []));

/**
 * A guest that cannot be suspended may still wait for a timer: the thread spins until it is due.
 * Anything else not ready cannot arrive while the thread is held, so the request fails.
 */
function waitWithoutSuspending(pollables: Pollable[]): Uint32Array {
  for (;;) {
    const ready = readyOf(pollables);
    if (ready.length > 0) return Uint32Array.from(ready);
    const timers = pollables.flatMap((p) => (p.due === undefined ? [] : [p.due]));
    if (timers.length === 0) throw cannotWait(pollables[0]!.what);
    const due = Math.min(...timers);
    while (performance.now() < due);
  }
}

/** Async (JSPI): the indices of the pollables that are ready, waiting for at least one; at once when some are. */
export function poll(pollables: Pollable[]): Uint32Array | Promise<Uint32Array> {
  if (pollables.length === 0) throw new Error('wasi:io/poll: poll called with an empty list');
  const ready = readyOf(pollables);
  if (ready.length > 0) return Uint32Array.from(ready);
  if (waitingIsImpossible()) return waitWithoutSuspending(pollables);
  return (async () => {
    for (;;) {
      await Promise.race(pollables.map((p) => p.wait()));
      const now = readyOf(pollables);
      if (now.length > 0) return Uint32Array.from(now);
    }
  })();
}

type StreamError = { tag: 'closed' } | { tag: 'last-operation-failed'; val: IoError };
const closed: StreamError = { tag: 'closed' };

/** A byte source read by the guest: a web stream, fixed bytes, or nothing. */
export class InputStream {
  #chunks: Uint8Array[] = [];
  #ended = false;
  #failure: IoError | undefined;
  #reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  #pending: Promise<void> | undefined;

  /** What a reader waits for, in words. */
  readonly #what: string;

  constructor(source?: ReadableStream<Uint8Array> | Uint8Array | null, what = 'a stream the host had not filled yet') {
    this.#what = what;
    if (source instanceof Uint8Array) {
      if (source.length > 0) this.#chunks.push(source);
      this.#ended = true;
    } else if (source) {
      this.#reader = source.getReader();
    } else {
      this.#ended = true;
    }
  }

  #available(): boolean {
    return this.#chunks.length > 0 || this.#ended || this.#failure !== undefined;
  }

  #pull(): Promise<void> {
    if (this.#available() || !this.#reader) return Promise.resolve();
    this.#pending ??= this.#reader.read().then(
      ({ done, value }) => {
        this.#pending = undefined;
        if (done) this.#ended = true;
        else if (value.length > 0) this.#chunks.push(value);
      },
      (err: unknown) => {
        this.#pending = undefined;
        this.#failure = new IoError(messageOf(err));
      },
    );
    return this.#pending;
  }

  #take(len: bigint): Uint8Array {
    if (this.#chunks.length === 0) {
      if (this.#failure) throw wasiError<StreamError>({ tag: 'last-operation-failed', val: this.#failure });
      if (this.#ended) throw wasiError(closed);
      void this.#pull();
      return new Uint8Array(0);
    }
    const head = this.#chunks[0]!;
    const n = Number(len < BigInt(head.length) ? len : BigInt(head.length));
    if (n === head.length) this.#chunks.shift();
    else this.#chunks[0] = head.subarray(n);
    return head.subarray(0, n);
  }

  read(len: bigint): Uint8Array {
    return this.#take(len);
  }
  blockingRead(len: bigint): Uint8Array | Promise<Uint8Array> {
    if (this.#available()) return this.#take(len);
    return answerNow(
      (async () => {
        while (!this.#available()) await this.#pull();
        return this.#take(len);
      })(),
      this.#what,
    );
  }
  skip(len: bigint): bigint {
    return BigInt(this.#take(len).length);
  }
  blockingSkip(len: bigint): bigint | Promise<bigint> {
    const read = this.blockingRead(len);
    return read instanceof Promise ? read.then((bytes) => BigInt(bytes.length)) : BigInt(read.length);
  }
  subscribe(): Pollable {
    return new Pollable(() => this.#available(), () => this.#pull(), this.#what);
  }
  /** Host side: every remaining byte, for bodies the host needs whole. */
  async readAll(limit = Infinity): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      while (!this.#available()) await this.#pull();
      if (this.#chunks.length === 0) break;
      const chunk = this.#take(BigInt(Number.MAX_SAFE_INTEGER));
      size += chunk.length;
      if (size > limit) throw new IoError(`body larger than ${limit} bytes`);
      parts.push(chunk);
    }
    return concatBytes(parts);
  }
  cancel(): void {
    void this.#reader?.cancel().catch(() => {});
    this.#ended = true;
    this.#chunks = [];
  }
}

/** Where an OutputStream's bytes go. `write` gets a copy it may keep. */
export interface ByteSink {
  write(chunk: Uint8Array): void;
  /** Bytes the sink accepts before it wants the writer to wait; default: plenty. */
  capacity?(): number;
  /** Resolves when capacity frees up. */
  drained?(): Promise<void>;
}

const defaultCapacity = 1 << 20;

export class OutputStream {
  readonly #sink: ByteSink;
  #closed = false;
  #failure: IoError | undefined;

  constructor(sink: ByteSink) {
    this.#sink = sink;
  }

  /** Host side: no more writes are accepted (the body was finished or the request ended). */
  close(failure?: IoError): void {
    this.#closed = true;
    this.#failure = failure;
  }

  #check(): void {
    if (this.#failure) throw wasiError<StreamError>({ tag: 'last-operation-failed', val: this.#failure });
    if (this.#closed) throw wasiError(closed);
  }
  #capacity(): number {
    return this.#sink.capacity?.() ?? defaultCapacity;
  }
  #push(bytes: Uint8Array): void {
    this.#check();
    try {
      this.#sink.write(bytes.slice());
    } catch (err) {
      this.#failure = new IoError(messageOf(err));
      this.#check();
    }
  }

  checkWrite(): bigint {
    this.#check();
    return BigInt(Math.max(0, this.#capacity()));
  }
  write(contents: Uint8Array): void {
    this.#push(contents);
  }
  blockingWriteAndFlush(contents: Uint8Array): void | Promise<void> {
    this.#push(contents);
    return this.blockingFlush();
  }
  flush(): void {
    this.#check();
  }
  blockingFlush(): void | Promise<void> {
    this.#check();
    if (this.#capacity() <= 0) return answerNow(this.#sink.drained?.(), 'its reader to take what it wrote');
  }
  subscribe(): Pollable {
    return new Pollable(
      () => this.#closed || this.#capacity() > 0,
      () => this.#sink.drained?.() ?? Promise.resolve(),
    );
  }
  writeZeroes(len: bigint): void {
    this.#push(new Uint8Array(Number(len)));
  }
  blockingWriteZeroesAndFlush(len: bigint): void | Promise<void> {
    this.writeZeroes(len);
    return this.blockingFlush();
  }
  splice(src: InputStream, len: bigint): bigint {
    const bytes = src.read(len);
    this.#push(bytes);
    return BigInt(bytes.length);
  }
  blockingSplice(src: InputStream, len: bigint): bigint | Promise<bigint> {
    const read = src.blockingRead(len);
    const push = (bytes: Uint8Array): bigint => {
      this.#push(bytes);
      return BigInt(bytes.length);
    };
    return read instanceof Promise ? read.then(push) : push(read);
  }
}

export function concatBytes(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
