/**
 * The one zip reader for app archives (publishing, `twirl up -f`, the playground's import).
 * A zip's declared sizes are never trusted: entries are inflated in small steps and every byte
 * that comes out is counted, so an archive that lies about its sizes is stopped at the byte
 * budget like an honest bomb (which its declared sizes already give away), within a time
 * budget, and before memory runs out. Reading yields to the host's event loop between steps,
 * so a server reading an archive keeps answering other requests meanwhile.
 */
import { Unzip, type UnzipFile } from 'fflate';
import { QueuedInflate } from './unzip-inflate.ts';
import { TwirlError } from '../errors.ts';
import { appEntryPath } from './entry-path.ts';
import { messageOf } from '../errors.ts';

export interface ArchiveLimits {
  /** Total bytes the entries may inflate to. */
  maxExpandedBytes: number;
  maxEntries: number;
  /** Wall-clock time reading may take. */
  maxMillis: number;
}

export const defaultArchiveLimits: ArchiveLimits = {
  maxExpandedBytes: 100 * 1024 * 1024,
  maxEntries: 10_000,
  maxMillis: 20_000,
};

/** How long reading runs before it lets other work in, where the clock moves while code runs (Node, browsers). */
const SLICE_MS = 4;

/**
 * Bytes read, inflated or copied after which reading lets other work in whatever the clock says:
 * workerd's clock stands still while code runs, so time alone would never end a slice there.
 */
const SLICE_BYTES = 512 * 1024;

/** Archive bytes handed to the zip reader at a time: stored entries pass through as they are, deflated ones are queued. */
const PUSH = 64 * 1024;

/** Compressed bytes inflated at a time: deflate expands at most ~1,032×, so one step inflates at most ~258 KiB. */
const STEP = 256;

/** Every file entry of the zip by its checked path (`..`, absolute paths and drive letters are refused). */
export async function readZipEntries(bytes: Uint8Array, limits: ArchiveLimits = defaultArchiveLimits): Promise<Map<string, Uint8Array>> {
  if (!isZip(bytes)) throw new TwirlError('not-a-zip', 'the archive is not a zip file (it does not start with a zip entry)');
  const started = Date.now();
  const slices = new Slices();
  const inflated = new Map<string, Uint8Array[]>();
  let expanded = 0;
  let declared = 0;
  let count = 0;
  const tooLarge = () =>
    new TwirlError('archive-too-large', `the archive expands to more than ${formatBytes(limits.maxExpandedBytes)}, the limit for an app`);
  const tooSlow = () =>
    new TwirlError('archive-too-slow', `reading the archive took longer than ${limits.maxMillis / 1000} s, the limit for an app`);
  const unzip = new Unzip((file: UnzipFile) => {
    if (++count > limits.maxEntries) throw new TwirlError('archive-too-many-entries', `the archive has more than ${limits.maxEntries} entries, the limit for an app`);
    if (file.name.endsWith('/')) return;
    const path = appEntryPath(file.name);
    // An honest bomb says so up front; a lying one is caught below, byte by byte.
    declared += file.originalSize ?? 0;
    if (declared > limits.maxExpandedBytes) throw tooLarge();
    const chunks: Uint8Array[] = [];
    file.ondata = (err, chunk, final) => {
      // The inflater hands back what ondata threw (a budget exceeded) as its own error.
      if ((err as unknown) instanceof TwirlError) throw err;
      if (err) throw new TwirlError('not-a-zip', `archive entry "${file.name}" cannot be inflated: ${err.message}`, { cause: err });
      expanded += chunk.length;
      if (expanded > limits.maxExpandedBytes) throw tooLarge();
      slices.did(chunk.length);
      chunks.push(chunk);
      // Joined after reading, a slice at a time: one entry may be most of the budget.
      if (final) inflated.set(path, chunks);
    };
    file.start();
  });
  const inflaters: QueuedInflate[] = [];
  unzip.register(
    class extends QueuedInflate {
      constructor() {
        super();
        inflaters.push(this);
      }
    },
  );
  const entries = new Map<string, Uint8Array>();
  try {
    for (let at = 0; at < bytes.length; at += PUSH) {
      unzip.push(bytes.subarray(at, at + PUSH), at + PUSH >= bytes.length);
      slices.did(PUSH);
      for (const inflater of inflaters) {
        while (inflater.busy) {
          slices.did(inflater.step(STEP));
          if (slices.due) {
            if (Date.now() - started > limits.maxMillis) throw tooSlow();
            await slices.pause();
          }
        }
      }
      inflaters.splice(0, inflaters.length, ...inflaters.filter((inflater) => !inflater.finished));
      if (Date.now() - started > limits.maxMillis) throw tooSlow();
      if (slices.due) await slices.pause();
    }
    for (const [path, chunks] of inflated) {
      inflated.delete(path);
      entries.set(path, await join(chunks, slices));
      if (Date.now() - started > limits.maxMillis) throw tooSlow();
    }
  } catch (err) {
    if (err instanceof TwirlError) throw err;
    throw new TwirlError('not-a-zip', `the archive is not a readable zip file: ${messageOf(err)}`, { cause: err });
  }
  return entries;
}

/** Work cut into slices, with the host's event loop (other requests, other isolates) let in between. */
class Slices {
  private started = Date.now();
  private bytes = 0;

  did(bytes: number): void {
    this.bytes += bytes;
  }

  /** Whether this slice is over. */
  get due(): boolean {
    return this.bytes >= SLICE_BYTES || Date.now() - this.started >= SLICE_MS;
  }

  async pause(): Promise<void> {
    // A timer, not a microtask or a MessageChannel: only a timer lets workerd run other isolates.
    await new Promise((resolve) => setTimeout(resolve, 0));
    this.started = Date.now();
    this.bytes = 0;
  }
}

function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

async function join(chunks: Uint8Array[], slices: Slices): Promise<Uint8Array> {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
    slices.did(c.length);
    if (slices.due) await slices.pause();
  }
  return out;
}

export function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${Math.round((n / (1024 * 1024)) * 10) / 10} MB` : `${Math.round(n / 1024)} KB`;
}
