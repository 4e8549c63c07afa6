/** Turns a snapshot of linear memory into as few, as small, active data segments as is sensible. */

export interface MemoryRun {
  offset: number;
  bytes: Uint8Array;
}

/**
 * A segment costs about eight bytes of header (flags, `i32.const <offset> end`, length), so
 * zero gaps shorter than that are cheaper kept inside one segment than split in two (measured
 * on StarlingMonkey's snapshot: 8 gives the smallest data section).
 */
const CHEAP_GAP = 8;

/**
 * Engines cap a module's data segments (V8 and wasmparser at 100 000); wizer stays at 10 000.
 * Past the cap, the smallest gaps are merged first until the runs fit.
 */
export const MAX_SEGMENTS = 10_000;

/** The non-zero runs of `memory`, merging gaps of zeros shorter than `minGap`. */
export function nonZeroRuns(memory: Uint8Array, minGap = CHEAP_GAP): Array<[start: number, end: number]> {
  const runs: Array<[number, number]> = [];
  const words = memory.byteOffset % 4 === 0 ? new Uint32Array(memory.buffer, memory.byteOffset, memory.length >> 2) : undefined;
  const end = memory.length;
  let at = 0;
  while (at < end) {
    at = nextNonZero(memory, words, at);
    if (at >= end) break;
    const start = at;
    // A run lasts until `minGap` zeros in a row.
    let zeros = 0;
    while (at < end && zeros < minGap) {
      zeros = memory[at] === 0 ? zeros + 1 : 0;
      at++;
    }
    runs.push([start, at - zeros]);
  }
  return runs;
}

/** The first non-zero byte at or after `at`, skipping aligned zero words four bytes at a time. */
function nextNonZero(memory: Uint8Array, words: Uint32Array | undefined, at: number): number {
  const end = memory.length;
  while (at < end && at % 4 !== 0 && memory[at] === 0) at++;
  if (words && at % 4 === 0) {
    let w = at >> 2;
    while (w < words.length && words[w] === 0) w++;
    at = w << 2;
  }
  while (at < end && memory[at] === 0) at++;
  return at;
}

/** Merges the `runs.length - maxRuns` smallest gaps between runs (ties may merge a few more). */
function mergeSmallestGaps(runs: Array<[number, number]>, maxRuns: number): Array<[number, number]> {
  if (runs.length <= maxRuns) return runs;
  const gaps = runs.slice(1).map((run, i) => run[0] - runs[i]![1]).sort((a, b) => a - b);
  const widest = gaps[runs.length - maxRuns - 1]!;
  const merged: Array<[number, number]> = [];
  for (const run of runs) {
    const last = merged[merged.length - 1];
    if (last && run[0] - last[1] <= widest) last[1] = run[1];
    else merged.push([run[0], run[1]]);
  }
  return merged;
}

/** The data segments that recreate `memory` over a zeroed memory, at most `maxSegments` of them. */
export function memoryRuns(memory: Uint8Array, maxSegments = MAX_SEGMENTS): MemoryRun[] {
  return mergeSmallestGaps(nonZeroRuns(memory), maxSegments).map(([start, end]) => ({ offset: start, bytes: memory.subarray(start, end) }));
}
