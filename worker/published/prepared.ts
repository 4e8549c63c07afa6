/**
 * Prepared components (jco's glue + core modules) for published apps, made by the transpiler
 * isolate and kept in R2 by the component's sha256 and the transpiler's build, so each
 * component is transpiled once.
 */
import { unzipSync, zipSync } from 'fflate';
import { transpiler } from 'twirl:isolates';
import type { ComponentKind, TranspiledComponent } from '../../shared/component/prepare.ts';
import { TwirlError } from '../../shared/errors.ts';
import { COMPATIBILITY_DATE, COMPATIBILITY_FLAGS } from '../compatibility.ts';
import type { PlatformEnv } from '../env.ts';
import { sha256Hex } from '../../shared/digest.ts';

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

export async function preparedComponent(env: PlatformEnv, bytes: Uint8Array, componentId: string): Promise<TranspiledComponent> {
  const key = `prepared/${transpiler.id}/${await sha256Hex(bytes)}`;
  const cached = await env.APPS.get(key);
  if (cached) return decode(new Uint8Array(await cached.arrayBuffer()));
  const result = await transpilerIsolate(env).transpile(bytes);
  if ('error' in result) throw new TwirlError(result.error.code, `component ${componentId}: ${result.error.message}`);
  await env.APPS.put(key, encode(result));
  return result;
}

// Stored, not deflated: the bulk is Wasm, and reading it back must be quick.
function encode(prepared: TranspiledComponent): Uint8Array {
  const files: Record<string, Uint8Array> = {
    kind: new TextEncoder().encode(prepared.kind),
    'component.js': new TextEncoder().encode(prepared.glue),
  };
  for (const [name, bytes] of Object.entries(prepared.modules)) files[`modules/${name}`] = bytes;
  return zipSync(files, { level: 0 });
}

function decode(bytes: Uint8Array): TranspiledComponent {
  const files = unzipSync(bytes);
  const text = (name: string): string => new TextDecoder().decode(files[name]);
  const modules: Record<string, Uint8Array> = {};
  for (const [name, data] of Object.entries(files)) if (name.startsWith('modules/')) modules[name.slice('modules/'.length)] = data;
  return { kind: text('kind') as ComponentKind, glue: text('component.js'), modules };
}
