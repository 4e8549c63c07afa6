/**
 * The WASI preview1 a module sees while it is being pre-initialised: arguments, environment,
 * stdin, clocks, random, stdout/stderr captured, and a read-only file system held in memory
 * and preopened as `/`. Anything else answers ENOSYS.
 */

const Errno = { success: 0, acces: 2, badf: 8, inval: 28, isdir: 31, noent: 44, nosys: 52, notdir: 54, spipe: 70 } as const;
const FileType = { characterDevice: 2, directory: 3, regularFile: 4 } as const;
const ALL_RIGHTS = 0x1fffffffn;

/** `proc_exit` during initialisation: unwinds out of the module. */
export class WasiExit extends Error {
  readonly code: number;
  constructor(code: number) {
    super(`exited with status ${code}`);
    this.code = code;
  }
}

export interface WasiInitOptions {
  args?: readonly string[];
  env?: Readonly<Record<string, string>>;
  stdin?: Uint8Array;
  /** Absolute path (e.g. `/bundle.js`) → contents. */
  files: ReadonlyMap<string, Uint8Array>;
  /** Where stdout (1) and stderr (2) go as they are written; by default they are kept as text. */
  onWrite?: (fd: 1 | 2, chunk: Uint8Array) => void;
}

type Open = { kind: 'file'; data: Uint8Array; position: number } | { kind: 'dir'; path: string } | { kind: 'stdio' };

export class WasiInit {
  private memory: WebAssembly.Memory | undefined;
  private readonly fds = new Map<number, Open>();
  private nextFd = 4;
  private stdinPosition = 0;
  private readonly output: [string, string] = ['', ''];
  private readonly decoder = [new TextDecoder(), new TextDecoder()];
  private readonly options: WasiInitOptions;

  constructor(options: WasiInitOptions) {
    this.options = options;
    for (const fd of [0, 1, 2]) this.fds.set(fd, { kind: 'stdio' });
    this.fds.set(3, { kind: 'dir', path: '/' });
  }

  /** Must be called once the instance exists, before it runs. */
  bind(memory: WebAssembly.Memory): void {
    this.memory = memory;
  }

  get stdout(): string {
    return this.output[0];
  }

  get stderr(): string {
    return this.output[1];
  }

  private view(): DataView {
    if (!this.memory) throw new Error('WASI used before the memory was bound');
    return new DataView(this.memory.buffer);
  }

  private bytes(ptr: number, len: number): Uint8Array {
    return new Uint8Array(this.view().buffer, ptr, len);
  }

  private string(ptr: number, len: number): string {
    return new TextDecoder().decode(this.bytes(ptr, len));
  }

  /** The `wasi_snapshot_preview1` import object; names `used` asks for and it lacks get ENOSYS. */
  imports(used: readonly string[]): Record<string, (...args: never[]) => number> {
    const own = this.functions();
    const out: Record<string, (...args: never[]) => number> = {};
    for (const name of used) out[name] = own[name] ?? (() => Errno.nosys);
    return out;
  }

  private functions(): Record<string, (...args: never[]) => number> {
    const args = this.options.args ?? [];
    const env = Object.entries(this.options.env ?? {}).map(([k, v]) => `${k}=${v}`);
    return {
      args_sizes_get: (count: number, size: number) => this.sizes(args, count, size),
      args_get: (argv: number, buf: number) => this.strings(args, argv, buf),
      environ_sizes_get: (count: number, size: number) => this.sizes(env, count, size),
      environ_get: (environ: number, buf: number) => this.strings(env, environ, buf),
      clock_res_get: (_id: number, out: number) => (this.view().setBigUint64(out, 1000n, true), Errno.success),
      clock_time_get: (id: number, _precision: bigint, out: number) => {
        const ns = id === 0 ? BigInt(Date.now()) * 1_000_000n : BigInt(Math.round(performance.now() * 1e6));
        this.view().setBigUint64(out, ns, true);
        return Errno.success;
      },
      random_get: (ptr: number, len: number) => {
        for (let at = 0; at < len; at += 65536) crypto.getRandomValues(this.bytes(ptr + at, Math.min(65536, len - at)));
        return Errno.success;
      },
      proc_exit: (code: number) => {
        throw new WasiExit(code);
      },
      sched_yield: () => Errno.success,
      poll_oneoff: (subscriptions: number, events: number, count: number, written: number) => this.pollNow(subscriptions, events, count, written),
      fd_write: (fd: number, iovs: number, count: number, written: number) => this.write(fd, iovs, count, written),
      fd_read: (fd: number, iovs: number, count: number, read: number) => this.read(fd, iovs, count, read),
      fd_seek: (fd: number, offset: bigint, whence: number, out: number) => this.seek(fd, offset, whence, out),
      fd_close: (fd: number) => {
        if (!this.fds.has(fd)) return Errno.badf;
        if (fd > 3) this.fds.delete(fd);
        return Errno.success;
      },
      fd_fdstat_get: (fd: number, out: number) => this.fdstat(fd, out),
      fd_fdstat_set_flags: () => Errno.success,
      fd_filestat_get: (fd: number, out: number) => this.filestatOf(this.fds.get(fd), out),
      fd_prestat_get: (fd: number, out: number) => {
        if (fd !== 3) return Errno.badf;
        this.view().setUint8(out, 0);
        this.view().setUint32(out + 4, 1, true);
        return Errno.success;
      },
      fd_prestat_dir_name: (fd: number, ptr: number, len: number) => {
        if (fd !== 3 || len < 1) return Errno.badf;
        this.bytes(ptr, 1)[0] = 0x2f; // "/"
        return Errno.success;
      },
      path_open: (dirFd: number, _lookup: number, ptr: number, len: number, oflags: number, _rb: bigint, _ri: bigint, _fdflags: number, out: number) =>
        this.open(dirFd, this.string(ptr, len), oflags, out),
      path_filestat_get: (dirFd: number, _lookup: number, ptr: number, len: number, out: number) => {
        const path = this.resolve(dirFd, this.string(ptr, len));
        return path === undefined ? Errno.badf : this.filestatOf(this.lookup(path), out);
      },
    };
  }

  /**
   * Every subscription is ready at once: a module cannot be blocked here, so a sleep returns
   * early (Rust's `thread::sleep` traps if `poll_oneoff` fails, so it must not fail).
   */
  private pollNow(subscriptions: number, events: number, count: number, written: number): number {
    const view = this.view();
    for (let i = 0; i < count; i++) {
      const sub = subscriptions + i * 48;
      const event = events + i * 32;
      view.setBigUint64(event, view.getBigUint64(sub, true), true);
      view.setUint16(event + 8, Errno.success, true);
      view.setUint8(event + 10, view.getUint8(sub + 8));
      view.setBigUint64(event + 16, 0n, true);
      view.setUint16(event + 24, 0, true);
    }
    view.setUint32(written, count, true);
    return Errno.success;
  }

  private sizes(list: readonly string[], count: number, size: number): number {
    const view = this.view();
    view.setUint32(count, list.length, true);
    view.setUint32(size, list.reduce((n, s) => n + new TextEncoder().encode(s).length + 1, 0), true);
    return Errno.success;
  }

  private strings(list: readonly string[], pointers: number, buf: number): number {
    const view = this.view();
    list.forEach((s, i) => {
      const encoded = new TextEncoder().encode(`${s}\0`);
      this.bytes(buf, encoded.length).set(encoded);
      view.setUint32(pointers + i * 4, buf, true);
      buf += encoded.length;
    });
    return Errno.success;
  }

  private iovecs(iovs: number, count: number): Uint8Array[] {
    const view = this.view();
    return Array.from({ length: count }, (_, i) => this.bytes(view.getUint32(iovs + i * 8, true), view.getUint32(iovs + i * 8 + 4, true)));
  }

  private write(fd: number, iovs: number, count: number, written: number): number {
    if (fd !== 1 && fd !== 2) return Errno.badf;
    let total = 0;
    for (const chunk of this.iovecs(iovs, count)) {
      if (this.options.onWrite) this.options.onWrite(fd, chunk.slice());
      else this.output[fd - 1] += this.decoder[fd - 1]!.decode(chunk, { stream: true });
      total += chunk.length;
    }
    this.view().setUint32(written, total, true);
    return Errno.success;
  }

  private read(fd: number, iovs: number, count: number, read: number): number {
    const open = this.fds.get(fd);
    let source: Uint8Array;
    let position: number;
    if (fd === 0) [source, position] = [this.options.stdin ?? new Uint8Array(), this.stdinPosition];
    else if (open?.kind === 'file') [source, position] = [open.data, open.position];
    else return open?.kind === 'dir' ? Errno.isdir : Errno.badf;
    let total = 0;
    for (const chunk of this.iovecs(iovs, count)) {
      const piece = source.subarray(position, position + chunk.length);
      chunk.set(piece);
      position += piece.length;
      total += piece.length;
      if (piece.length < chunk.length) break;
    }
    if (fd === 0) this.stdinPosition = position;
    else if (open?.kind === 'file') open.position = position;
    this.view().setUint32(read, total, true);
    return Errno.success;
  }

  private seek(fd: number, offset: bigint, whence: number, out: number): number {
    const open = this.fds.get(fd);
    if (open?.kind !== 'file') return open ? Errno.spipe : Errno.badf;
    const base = whence === 0 ? 0 : whence === 1 ? open.position : open.data.length;
    const next = base + Number(offset);
    if (next < 0) return Errno.inval;
    open.position = next;
    this.view().setBigUint64(out, BigInt(next), true);
    return Errno.success;
  }

  private fdstat(fd: number, out: number): number {
    const open = this.fds.get(fd);
    if (!open) return Errno.badf;
    const view = this.view();
    const type = open.kind === 'stdio' ? FileType.characterDevice : open.kind === 'dir' ? FileType.directory : FileType.regularFile;
    view.setUint8(out, type);
    view.setUint16(out + 2, 0, true);
    view.setBigUint64(out + 8, ALL_RIGHTS, true);
    view.setBigUint64(out + 16, ALL_RIGHTS, true);
    return Errno.success;
  }

  private filestatOf(open: Open | undefined, out: number): number {
    if (!open) return Errno.noent;
    const view = this.view();
    for (let i = 0; i < 64; i += 8) view.setBigUint64(out + i, 0n, true);
    const type = open.kind === 'stdio' ? FileType.characterDevice : open.kind === 'dir' ? FileType.directory : FileType.regularFile;
    view.setUint8(out + 16, type);
    view.setBigUint64(out + 24, 1n, true);
    if (open.kind === 'file') view.setBigUint64(out + 32, BigInt(open.data.length), true);
    return Errno.success;
  }

  /** The absolute, normalised path of `path` opened relative to directory `dirFd`. */
  private resolve(dirFd: number, path: string): string | undefined {
    const dir = this.fds.get(dirFd);
    if (dir?.kind !== 'dir') return undefined;
    const parts: string[] = [];
    for (const part of `${dir.path}/${path}`.split('/')) {
      if (part === '..') parts.pop();
      else if (part && part !== '.') parts.push(part);
    }
    return `/${parts.join('/')}`;
  }

  private lookup(path: string): Open | undefined {
    const data = this.options.files.get(path);
    if (data) return { kind: 'file', data, position: 0 };
    const prefix = path === '/' ? '/' : `${path}/`;
    for (const name of this.options.files.keys()) if (name.startsWith(prefix)) return { kind: 'dir', path };
    return path === '/' ? { kind: 'dir', path } : undefined;
  }

  private open(dirFd: number, relative: string, oflags: number, out: number): number {
    const path = this.resolve(dirFd, relative);
    if (path === undefined) return Errno.badf;
    const found = this.lookup(path);
    // Creating or truncating files is not something initialisation should need.
    if (oflags & (1 | 8)) return found ? Errno.acces : Errno.noent;
    if (!found) return Errno.noent;
    if (oflags & 2 && found.kind !== 'dir') return Errno.notdir;
    const fd = this.nextFd++;
    this.fds.set(fd, found);
    this.view().setUint32(out, fd, true);
    return Errno.success;
  }
}
