/**
 * The narrow things the engine asks of a host. Each host (browser, edge, CLI, tests) supplies
 * its own implementations; the engine never touches storage, network or files directly.
 */

/** One open key-value store. Hosts that keep data in IndexedDB, Durable Objects or on disk answer with promises. */
export interface KeyValueStore {
  get(key: string): Maybe<Uint8Array | undefined>;
  set(key: string, value: Uint8Array): Maybe<void>;
  delete(key: string): Maybe<void>;
  exists(key: string): Maybe<boolean>;
  keys(): Maybe<string[]>;
}

/**
 * Opens stores by label for one app. Which labels a component may open is the engine's check, not the backend's.
 * A backend that holds its data at hand answers at once: the guest then goes on without waiting.
 */
export interface KeyValueBackend {
  open(label: string): Maybe<KeyValueStore>;
}

/** An answer that may already be there, or come later. */
export type Maybe<T> = T | Promise<T>;

/** Who asks for an outbound request: a host that relays it elsewhere checks it again there, and says why it failed. */
export interface OutboundContext {
  /** The requesting component's `allowed_outbound_hosts`, templates resolved. */
  allowedHosts: readonly string[];
  /** Writes a line to the requesting component's stderr, with the request's id. */
  log(line: string): void;
}

/** Performs an outbound request that the engine has already checked against `allowed_outbound_hosts`. */
export type OutboundFetch = (request: Request, context: OutboundContext) => Promise<Response>;

/** The bytes of files an app mounts with `files = [...]`, by path relative to the app's root. */
export interface FileSource {
  read(path: string): Promise<Uint8Array | undefined>;
  /** Every file path under the app root (forward slashes, no leading `./`). */
  list(): Promise<string[]>;
}

export interface LogLine {
  app: string;
  component: string;
  requestId: string;
  stream: 'stdout' | 'stderr';
  line: string;
  time: number;
}

/** Receives each complete line a component writes to stdout or stderr, and the engine's own errors. */
export interface LogSink {
  write(line: LogLine): void;
}
