/**
 * wasi:filesystem — a read-only tree of the files the manifest mounts, held in memory.
 * Components only read mounted files (Spin mounts them read-only too).
 */
import { InputStream, wasiError } from './io.ts';

type FsErrorCode = 'no-entry' | 'not-directory' | 'is-directory' | 'read-only' | 'invalid' | 'access';
const fail = (code: FsErrorCode) => wasiError(code);
const epoch = { seconds: 0n, nanoseconds: 0 };

/** Mounted files by absolute guest path ("/index.html"). Directories are implied by the paths. */
export type FileTree = ReadonlyMap<string, Uint8Array>;

function normalize(base: string, path: string): string {
  if (path.startsWith('/')) throw fail('access');
  const parts = base.split('/').filter(Boolean);
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    // Leaving the preopened directory is not allowed, as in any WASI host.
    if (part === '..') {
      if (parts.length === 0) throw fail('access');
      parts.pop();
    } else parts.push(part);
  }
  return '/' + parts.join('/');
}

function isDirectory(tree: FileTree, path: string): boolean {
  if (path === '/') return true;
  const prefix = path + '/';
  for (const name of tree.keys()) if (name.startsWith(prefix)) return true;
  return false;
}

function hashPath(path: string): { lower: bigint; upper: bigint } {
  let h = 0xcbf29ce484222325n;
  for (const c of path) h = BigInt.asUintN(64, (h ^ BigInt(c.codePointAt(0)!)) * 0x100000001b3n);
  return { lower: h, upper: 0n };
}

export class DirectoryEntryStream {
  readonly #entries: Array<{ type: string; name: string }>;
  constructor(entries: Array<{ type: string; name: string }>) {
    this.#entries = entries;
  }
  readDirectoryEntry(): { type: string; name: string } | undefined {
    return this.#entries.shift();
  }
}

export class Descriptor {
  readonly #tree: FileTree;
  readonly #path: string;
  constructor(tree: FileTree, path: string) {
    this.#tree = tree;
    this.#path = path;
  }
  #file(): Uint8Array {
    const bytes = this.#tree.get(this.#path);
    if (!bytes) throw fail('is-directory');
    return bytes;
  }
  #type(path = this.#path): 'regular-file' | 'directory' {
    if (this.#tree.has(path)) return 'regular-file';
    if (isDirectory(this.#tree, path)) return 'directory';
    throw fail('no-entry');
  }
  #statOf(path: string) {
    const type = this.#type(path);
    return {
      type,
      linkCount: 1n,
      size: BigInt(this.#tree.get(path)?.length ?? 0),
      dataAccessTimestamp: epoch,
      dataModificationTimestamp: epoch,
      statusChangeTimestamp: epoch,
    };
  }

  readViaStream(offset: bigint): InputStream {
    return new InputStream(this.#file().subarray(Number(offset)));
  }
  writeViaStream(): never {
    throw fail('read-only');
  }
  appendViaStream(): never {
    throw fail('read-only');
  }
  advise(): void {}
  syncData(): void {}
  sync(): void {}
  getFlags() {
    return { read: true };
  }
  getType(): string {
    return this.#type();
  }
  setSize(): never {
    throw fail('read-only');
  }
  setTimes(): never {
    throw fail('read-only');
  }
  read(length: bigint, offset: bigint): [Uint8Array, boolean] {
    const bytes = this.#file();
    const start = Math.min(Number(offset), bytes.length);
    const end = Math.min(start + Number(length), bytes.length);
    return [bytes.slice(start, end), end >= bytes.length];
  }
  write(): never {
    throw fail('read-only');
  }
  readDirectory(): DirectoryEntryStream {
    if (this.#type() !== 'directory') throw fail('not-directory');
    const prefix = this.#path === '/' ? '/' : this.#path + '/';
    const names = new Map<string, string>();
    for (const path of this.#tree.keys()) {
      if (!path.startsWith(prefix)) continue;
      const [name, ...rest] = path.slice(prefix.length).split('/');
      if (name) names.set(name, rest.length > 0 ? 'directory' : 'regular-file');
    }
    return new DirectoryEntryStream([...names].map(([name, type]) => ({ name, type })));
  }
  stat() {
    return this.#statOf(this.#path);
  }
  statAt(_flags: unknown, path: string) {
    return this.#statOf(normalize(this.#path, path));
  }
  openAt(_flags: unknown, path: string, openFlags: { create?: boolean; truncate?: boolean }, flags: { write?: boolean }): Descriptor {
    if (openFlags?.create || openFlags?.truncate || flags?.write) throw fail('read-only');
    const target = normalize(this.#path, path);
    this.#type(target);
    return new Descriptor(this.#tree, target);
  }
  isSameObject(other: Descriptor): boolean {
    return other.#path === this.#path && other.#tree === this.#tree;
  }
  metadataHash() {
    return hashPath(this.#path);
  }
  metadataHashAt(_flags: unknown, path: string) {
    const target = normalize(this.#path, path);
    this.#type(target);
    return hashPath(target);
  }
  createDirectoryAt(): never {
    throw fail('read-only');
  }
  removeDirectoryAt(): never {
    throw fail('read-only');
  }
  unlinkFileAt(): never {
    throw fail('read-only');
  }
  renameAt(): never {
    throw fail('read-only');
  }
  symlinkAt(): never {
    throw fail('read-only');
  }
  linkAt(): never {
    throw fail('read-only');
  }
  readlinkAt(): never {
    throw fail('invalid');
  }
}

export function filesystemImports(current: () => FileTree) {
  return {
    'wasi:filesystem/preopens': {
      getDirectories(): Array<[Descriptor, string]> {
        const tree = current();
        return tree.size > 0 ? [[new Descriptor(tree, '/'), '/']] : [];
      },
    },
    'wasi:filesystem/types': { Descriptor, DirectoryEntryStream, filesystemErrorCode: () => undefined },
  };
}
