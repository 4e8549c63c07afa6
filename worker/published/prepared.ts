/**
 * Prepared components for published apps, made by the transpiler isolate and kept in R2 by the
 * component's sha256 and the transpiler's build, so each component is transpiled once. A JS
 * component's engine and glue are kept apart, once for every app (engine-store.ts); its record
 * holds only its snapshot of the engine, beside any other core modules.
 */
import { transpiler } from 'twirl:isolates';
import type { TranspiledComponent } from '../../shared/component/prepare.ts';
import { TwirlError } from '../../shared/errors.ts';
import { COMPATIBILITY_DATE, COMPATIBILITY_FLAGS } from '../compatibility.ts';
import type { PlatformEnv } from '../env.ts';
import { getBase, getGlue, hasBasePages, hasEngine, putBase, putEngine, putGlue } from './engine-store.ts';
import { decodeRecord, encodeRecord, splitPrepared, type SplitPrepared } from './split-prepared.ts';
import { trackWrites } from '../../shared/component/write-tracking.ts';
import { PUBLISHED_MAX_MEMORY_BYTES } from './limits.ts';

type TranspileResult = TranspiledComponent | { error: { code: string; message: string } };

interface TranspilerRpc {
  transpile(bytes: Uint8Array): Promise<TranspileResult>;
}

function transpilerIsolate(env: PlatformEnv): TranspilerRpc {
  const stub = env.LOADER.get(`transpiler-${transpiler.id}`, () => ({
    compatibilityDate: COMPATIBILITY_DATE,
    compatibilityFlags: COMPATIBILITY_FLAGS,
    mainModule: 'index.js',
    modules: { 'index.js': transpiler.source, ...Object.fromEntries(Object.entries(transpiler.wasm).map(([name, wasm]) => [name, { wasm }])) },
    globalOutbound: null,
  }));
  return stub.getEntrypoint() as unknown as TranspilerRpc;
}

/**
 * Where a component's record is: the format is part of the key, as records of the whole component
 * were stored under `prepared/`, and records of modules without write tracking under `prepared-split/`.
 */
export const preparedKey = (componentDigest: string): string => `prepared-tracked/${transpiler.id}/${componentDigest}`;

export interface PrepareUse {
  /**
   * Publishing prepares anew a component whose stored record does not read back (it was
   * damaged): publishing again is the way out the run path's error names.
   */
  repair?: boolean;
}

/**
 * The record of the component whose sha256 is `digest`; its bytes are read only when the record
 * must be made (none is stored for this transpiler, or a part of it is gone).
 */
export async function preparedByDigest(env: PlatformEnv, digest: string, componentId: string, bytes: () => Promise<Uint8Array>, use: PrepareUse = {}): Promise<SplitPrepared> {
  const key = preparedKey(digest);
  const cached = await env.APPS.get(key);
  if (cached) {
    const record = await decodeRecord(new Uint8Array(await cached.arrayBuffer()), componentId, (digest) => getGlue(env, digest)).catch((err: unknown) => {
      if (use.repair) return undefined;
      throw err;
    });
    // An engine or base that is gone (or was found damaged, and removed) is made again from the component.
    if (record && (await allEngines(env, record))) return record;
  }
  const result = await transpilerIsolate(env).transpile(await bytes());
  if ('error' in result) throw new TwirlError(result.error.code, `component ${componentId}: ${result.error.message}`);
  const { record, engines, bases } = await splitPrepared(withTrackedWrites(result), (engine) => getBase(env, engine));
  for (const [digest, engine] of engines) await putEngine(env, digest, engine);
  for (const [engine, base] of bases) await putBase(env, engine, base);
  const encoded = await encodeRecord(record);
  await putGlue(env, encoded.glue);
  await env.APPS.put(key, encoded.bytes);
  return record;
}

async function allEngines(env: PlatformEnv, record: SplitPrepared): Promise<boolean> {
  for (const { engine, base } of Object.values(record.engines)) {
    if (!(await hasEngine(env, engine)) || (base && !(await hasBasePages(env, base)))) return false;
  }
  return true;
}

/**
 * The transpiler's modules with their writes tracked, as a deployed bundle's are (the transpiler
 * cannot return them so: see transpiler-entry.ts): a reset then copies back only the pages a
 * request wrote, not the whole memory image. A Spin 1.x module is left as it is, as everywhere.
 */
function withTrackedWrites(transpiled: TranspiledComponent): TranspiledComponent {
  if (transpiled.kind === 'spin1-http') return transpiled;
  const modules = Object.fromEntries(Object.entries(transpiled.modules).map(([file, bytes]) => [file, trackWrites(bytes, PUBLISHED_MAX_MEMORY_BYTES)]));
  return { ...transpiled, modules };
}
