/**
 * Cloudflare's limits, checked before wrangler is called: a Worker's modules may total 64 MiB,
 * and an isolate has 128 MB of memory. Memory is estimated with every component warm — each
 * Wasm module compiled (its bytes kept, plus machine code), and per component one live instance
 * and the instance pool's image of its memory. Components made from one .wasm share one pool of
 * instances (see the engine), so they count once.
 */
import { TwirlError } from '../../shared/errors.ts';

export const cloudflareLimits = { workerBytes: 64 * 2 ** 20, isolateMemoryBytes: 128 * 2 ** 20 } as const;

/** Compiled code and kept wire bytes per byte of Wasm: a coarse figure for V8's baseline tier. */
const compiledPerWasmByte = 3;

export interface BundleFootprint {
  /** All modules the Worker uploads, uncompressed. */
  bytes: number;
  /** Distinct Wasm modules' sizes. */
  wasmBytes: number[];
  /** Per distinct component (components made from one .wasm count once): its linear memory when new. */
  componentMemory: Array<{ id: string; bytes: number }>;
}

export interface MemoryEstimate {
  total: number;
  code: number;
  instances: number;
  modules: number;
}

export function estimateMemory(footprint: BundleFootprint): MemoryEstimate {
  const code = footprint.wasmBytes.reduce((sum, b) => sum + b * compiledPerWasmByte, 0);
  const instances = footprint.componentMemory.reduce((sum, c) => sum + 2 * c.bytes, 0);
  const wasm = footprint.wasmBytes.reduce((sum, b) => sum + b, 0);
  // JS and data modules live in the isolate's heap as they are.
  const modules = footprint.bytes - wasm;
  return { total: code + instances + modules, code, instances, modules };
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/** Throws, saying what is too big and by how much, if the bundle exceeds a limit. */
export function checkCloudflareLimits(footprint: BundleFootprint): void {
  if (footprint.bytes > cloudflareLimits.workerBytes) {
    throw new TwirlError(
      'bundle-too-large',
      `the Worker bundle is ${mib(footprint.bytes)}; Cloudflare accepts at most ${mib(cloudflareLimits.workerBytes)}. Split the app, or use fewer distinct components`,
    );
  }
  const memory = estimateMemory(footprint);
  if (memory.total > cloudflareLimits.isolateMemoryBytes) {
    const largest = [...footprint.componentMemory].sort((a, b) => b.bytes - a.bytes)[0];
    throw new TwirlError(
      'bundle-memory-too-large',
      `with every component warm the Worker would need about ${mib(memory.total)} of memory ` +
        `(${mib(memory.code)} compiled code; ${mib(memory.instances)} for ${footprint.componentMemory.length} components (those made from one .wasm count once), each a warm instance and its reset image` +
        `${largest ? `, ${largest.id}'s memory ${mib(largest.bytes)}` : ''}; ${mib(memory.modules)} of JS and data); ` +
        `a Cloudflare isolate has ${mib(cloudflareLimits.isolateMemoryBytes)}. Split the app into several apps, or route more paths to fewer components`,
    );
  }
}
