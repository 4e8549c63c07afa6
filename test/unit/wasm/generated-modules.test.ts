/**
 * The rewrites preparation makes (fuel, wait points, exported globals, the memory cap, write
 * tracking) on modules nobody wrote by hand: binaryen's `wasm-opt --translate-to-fuzz` turns
 * random bytes into a valid module using the features asked for. Each rewritten module must be
 * valid, behave as the original (the same calls to the host, results and traps), and a reset
 * must leave its memory as a new instance's. A module using what the passes cannot read is
 * refused (fuel) or left untracked, never rewritten wrong.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { Checkpoint, addFuel, fuelImports } from '../../../shared/component/fuel.ts';
import { trackWrites, dirtyMapExport } from '../../../shared/component/write-tracking.ts';
import { capMemory, exportMutableGlobals } from '../../../shared/component/rewrite-module.ts';
import { CoreLinker } from '../../../shared/component/core-linker.ts';
import { captureSnapshot, restoreSnapshot } from '../../../shared/component/instance-snapshot.ts';
import { isUnknownInstruction } from '../../../shared/wasm/instructions.ts';

const run = promisify(execFile);
/** binaryen's wasm-opt, compiled to JS: run by this Node, whatever Node is first on PATH. */
const wasmOpt = join(import.meta.dirname, '../../../node_modules/binaryen/bin/wasm-opt');
const maxMemoryBytes = 1 << 30;
/** What toolchains emit for components today: the passes must handle all of it. */
const toolchainFeatures = ['bulk-memory', 'simd', 'sign-ext', 'nontrapping-float-to-int', 'multivalue', 'mutable-globals', 'reference-types', 'tail-call', 'exception-handling', 'extended-const', 'relaxed-simd'];

const dir = await mkdtemp(join(tmpdir(), 'twirl-generated-'));
process.on('exit', () => void rm(dir, { recursive: true, force: true }));

async function generate(seed: Uint8Array, features: string[]): Promise<Uint8Array> {
  const input = join(dir, 'seed.dat');
  const output = join(dir, 'module.wasm');
  await writeFile(input, seed);
  await run(process.execPath, [wasmOpt, '--translate-to-fuzz', input, ...features, '-o', output]);
  return new Uint8Array(await readFile(output));
}

/** Every call the module makes to the host, and every export's outcome, as text. */
class Transcript {
  readonly lines: string[] = [];
  readonly #tags = new Map<string, unknown>();

  imports(module: WebAssembly.Module): WebAssembly.Imports {
    const out: Record<string, Record<string, unknown>> = {};
    for (const { module: from, name, kind } of WebAssembly.Module.imports(module)) {
      const record = (out[from] ??= {});
      if (from === fuelImports.module) record[name] = name === fuelImports.checkpoint ? () => Checkpoint.proceed : () => undefined;
      else if (kind === 'function') record[name] = (...args: unknown[]) => void this.lines.push(`${name}(${args.map(show).join(', ')})`);
      // TypeScript's DOM types predate tags (exception handling).
      else if ((kind as string) === 'tag') record[name] = this.#tag(name);
    }
    return out as WebAssembly.Imports;
  }

  callExports(instance: WebAssembly.Instance): void {
    for (const [name, value] of Object.entries(instance.exports)) {
      if (typeof value !== 'function' || name.startsWith('twirl')) continue;
      try {
        this.lines.push(`${name} → ${show((value as (...args: number[]) => unknown)(0, 0, 0, 0))}`);
      } catch (err) {
        this.lines.push(`${name} threw ${(err as Error).constructor.name}`);
      }
    }
  }

  /** binaryen's fuzzer imports a tag of one i32 (`wasmtag`) and one of an externref (`jstag`). */
  #tag(name: string): unknown {
    const Tag = (WebAssembly as unknown as { Tag: new (type: { parameters: string[] }) => unknown }).Tag;
    if (!this.#tags.has(name)) this.#tags.set(name, new Tag({ parameters: [name === 'jstag' ? 'externref' : 'i32'] }));
    return this.#tags.get(name);
  }
}

/** A function's text names its index, which the added imports move. */
const show = (value: unknown): string => (typeof value === 'function' ? 'function' : typeof value === 'object' && value !== null ? 'object' : String(value));

function transcriptOf(bytes: Uint8Array): string[] {
  const transcript = new Transcript();
  const module = new WebAssembly.Module(bytes as BufferSource);
  transcript.callExports(new WebAssembly.Instance(module, transcript.imports(module)));
  return transcript.lines;
}

/** Runs every export of the tracked module once, resets it, and compares its memory with a new instance's. */
async function assertResetIsFresh(tracked: Uint8Array): Promise<void> {
  const linker = new CoreLinker(() => {});
  const transcript = new Transcript();
  const module = new WebAssembly.Module(tracked as BufferSource);
  const instance = await linker.instantiate(module, transcript.imports(module));
  const memory = Object.entries(instance.exports).find(([name, value]) => value instanceof WebAssembly.Memory && name !== dirtyMapExport)?.[1] as WebAssembly.Memory | undefined;
  const snapshot = captureSnapshot(linker);
  const fresh = memory && new Uint8Array(memory.buffer).slice();
  transcript.callExports(instance);
  if (restoreSnapshot(snapshot) && memory && fresh) assert.ok(Buffer.from(memory.buffer).equals(fresh), 'memory differs from a new instance after the reset');
}

type Outcome = 'rewritten' | 'untracked' | 'refused';

/** Checks one generated module: rewritten and tracked, rewritten and left untracked, or refused by fuel. */
async function check(bytes: Uint8Array, fuel: bigint): Promise<Outcome> {
  assert.ok(WebAssembly.validate(bytes as BufferSource), 'binaryen made a module this V8 compiles');
  let metered: Uint8Array;
  try {
    metered = addFuel(bytes, fuel);
  } catch (err) {
    if (isUnknownInstruction(err)) return 'refused';
    throw err;
  }
  const capped = capMemory(exportMutableGlobals(metered), maxMemoryBytes);
  const tracked = trackWrites(capped, maxMemoryBytes);
  assert.ok(WebAssembly.validate(tracked as BufferSource), 'the rewritten module is valid');
  assert.deepEqual(transcriptOf(tracked), transcriptOf(bytes));
  if (tracked === capped) return 'untracked';
  await assertResetIsFresh(tracked);
  return 'rewritten';
}

const seeds = fc.uint8Array({ minLength: 1000, maxLength: 4000 });

/** Checks `runs` generated modules using `features` (beyond the MVP); counts the outcomes. */
async function checkGenerated(features: string[], runs: number, fuel = fc.constant(1n << 40n)): Promise<Record<Outcome, number>> {
  const outcomes: Record<Outcome, number> = { rewritten: 0, untracked: 0, refused: 0 };
  const flags = ['--mvp-features', ...features.map((f) => `--enable-${f}`)];
  await fc.assert(fc.asyncProperty(seeds, fuel, async (seed, budget) => void outcomes[await check(await generate(seed, flags), budget)]++), { numRuns: runs, seed: 14, endOnFailure: true });
  return outcomes;
}

test('modules using what toolchains emit keep their behaviour through every rewrite, and reset to fresh', async () => {
  // A fuel budget of a few iterations makes loops call the host's checkpoint mid-run.
  const outcomes = await checkGenerated(toolchainFeatures, 30, fc.constantFrom(3n, 1n << 40n));
  assert.equal(outcomes.refused, 0);
  assert.ok(outcomes.rewritten >= 25, `most are tracked: ${JSON.stringify(outcomes)}`);
});

test('modules with 64-bit, shared or several memories are metered and copied back whole', async () => {
  const outcomes = await checkGenerated([...toolchainFeatures, 'memory64', 'threads', 'multimemory'], 8);
  assert.equal(outcomes.refused, 0);
  assert.ok(outcomes.untracked > 0, JSON.stringify(outcomes));
});

test('modules using GC instructions, which fuel cannot read, are refused', async () => {
  const outcomes = await checkGenerated([...toolchainFeatures, 'gc'], 4);
  assert.ok(outcomes.refused > 0, JSON.stringify(outcomes));
});
