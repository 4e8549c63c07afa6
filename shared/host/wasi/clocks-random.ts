/** wasi:clocks and wasi:random, from the platform's clock and crypto. */
import { Pollable } from './io.ts';

const origin = performance.now();
const nanos = (ms: number): bigint => BigInt(Math.round(ms * 1e6));

/**
 * The clock as a component reads it, 18 times in one request of the hello app. Browsers coarsen
 * `performance.now()`, so most readings in a request repeat the last; a BigInt made from a number
 * that large takes a call into the runtime, so a repeated reading gets the BigInt made before.
 */
let lastReading = Number.NaN;
let lastNanos = 0n;
function monotonicNow(): bigint {
  const ms = performance.now();
  if (ms !== lastReading) {
    lastReading = ms;
    lastNanos = nanos(ms - origin);
  }
  return lastNanos;
}

function sleep(ns: bigint): Pollable {
  const due = performance.now() + Number(ns) / 1e6;
  return new Pollable(
    () => performance.now() >= due,
    () => new Promise((r) => setTimeout(r, Math.max(0, due - performance.now()))),
    'a timer',
    due,
  );
}

export const clockImports = {
  'wasi:clocks/monotonic-clock': {
    now: monotonicNow,
    resolution: (): bigint => 1000n,
    subscribeDuration: (ns: bigint): Pollable => sleep(ns),
    subscribeInstant: (at: bigint): Pollable => sleep(at - monotonicNow()),
  },
  'wasi:clocks/wall-clock': {
    now() {
      const ms = Date.now();
      return { seconds: BigInt(Math.floor(ms / 1000)), nanoseconds: (ms % 1000) * 1e6 };
    },
    resolution: () => ({ seconds: 0n, nanoseconds: 1e6 }),
  },
};

function randomBytes(len: bigint): Uint8Array {
  const out = new Uint8Array(Number(len));
  // getRandomValues fills at most 65,536 bytes per call.
  for (let at = 0; at < out.length; at += 65536) crypto.getRandomValues(out.subarray(at, at + 65536));
  return out;
}
const randomU64 = (): bigint => new BigUint64Array(crypto.getRandomValues(new BigUint64Array(1)).buffer)[0]!;

export const randomImports = {
  'wasi:random/random': { getRandomBytes: randomBytes, getRandomU64: randomU64 },
  'wasi:random/insecure': { getInsecureRandomBytes: randomBytes, getInsecureRandomU64: randomU64 },
  'wasi:random/insecure-seed': { insecureSeed: (): [bigint, bigint] => [randomU64(), randomU64()] },
};
