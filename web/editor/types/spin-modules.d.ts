// The host interfaces a JS/TS component imports, as componentize-js binds them: a WIT `result`
// returns its value or throws, an `option` is the value or undefined, `list<u8>` a Uint8Array.

/** Spin's key-value stores; a component opens the stores its manifest grants (`key_value_stores`). */
declare module 'fermyon:spin/key-value@2.0.0' {
  export class Store {
    /** Opens the store with this label ("default" unless the manifest names others); throws if not granted. */
    static open(label: string): Store;
    /** The value of `key`, or undefined where there is none. */
    get(key: string): Uint8Array | undefined;
    set(key: string, value: Uint8Array): void;
    delete(key: string): void;
    exists(key: string): boolean;
    getKeys(): string[];
  }
}

/** Spin's variables: the component's `[component.<id>.variables]`, resolved from the app's. */
declare module 'fermyon:spin/variables@2.0.0' {
  /** The variable's value; throws where the component has no such variable. */
  export function get(name: string): string;
}

/** The directories the manifest mounts (`files = [...]`), each with where it is mounted. */
declare module 'wasi:filesystem/preopens@0.2.10' {
  import type { Descriptor } from 'wasi:filesystem/types@0.2.10';
  export function getDirectories(): Array<[Descriptor, string]>;
}

declare module 'wasi:filesystem/types@0.2.10' {
  export interface PathFlags { symlinkFollow?: boolean }
  export interface OpenFlags { create?: boolean; directory?: boolean; exclusive?: boolean; truncate?: boolean }
  export interface DescriptorFlags { read?: boolean; write?: boolean; fileIntegritySync?: boolean; dataIntegritySync?: boolean; requestedWriteSync?: boolean; mutateDirectory?: boolean }
  export type DescriptorType = 'unknown' | 'block-device' | 'character-device' | 'directory' | 'fifo' | 'symbolic-link' | 'regular-file' | 'socket';
  export interface DescriptorStat { type: DescriptorType; linkCount: bigint; size: bigint }
  export interface DirectoryEntry { type: DescriptorType; name: string }
  export interface DirectoryEntryStream { readDirectoryEntry(): DirectoryEntry | undefined }
  export class Descriptor {
    openAt(pathFlags: PathFlags, path: string, openFlags: OpenFlags, flags: DescriptorFlags): Descriptor;
    /** Up to `length` bytes from `offset`, and whether the end was reached. */
    read(length: bigint, offset: bigint): [Uint8Array, boolean];
    stat(): DescriptorStat;
    statAt(pathFlags: PathFlags, path: string): DescriptorStat;
    getType(): DescriptorType;
    readDirectory(): DirectoryEntryStream;
  }
}
