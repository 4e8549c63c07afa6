/**
 * Builds the platform worker (worker/index.ts) into `dist/worker/`: `index.js`, with the other
 * isolates' code inlined (`twirl:isolates`), and the bindgen's core modules as data modules
 * (`bindgen/*.bin`), which the Worker Loader hands to the transpiler isolate as Wasm.
 * Runnable: `npx node node/workerd/platform-build.ts` (wrangler.toml's build command).
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { buildIsolates, workerdBundle } from './isolates-build.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const platformOutDir = join(repoRoot, 'dist', 'worker');

function isolatesModule(isolates: Awaited<ReturnType<typeof buildIsolates>>): { source: string; data: Map<string, Uint8Array> } {
  const data = new Map<string, Uint8Array>();
  const imports: string[] = [];
  const wasm = [...isolates.transpiler.wasm].map(([name, bytes], i) => {
    const file = `${name}.bin`;
    data.set(file, bytes);
    imports.push(`import wasm${i} from ${JSON.stringify(`./${file}`)};`);
    return `${JSON.stringify(name)}: wasm${i}`;
  });
  const { published, transpiler } = isolates;
  const source = `${imports.join('\n')}
export const publishedRuntime = { id: ${JSON.stringify(published.id)}, source: ${JSON.stringify(published.source)} };
export const transpiler = { id: ${JSON.stringify(transpiler.id)}, source: ${JSON.stringify(transpiler.source)}, wasm: { ${wasm.join(', ')} } };
`;
  return { source, data };
}

export async function buildPlatformWorker(outDir = platformOutDir): Promise<string> {
  const isolates = await buildIsolates();
  const virtual = isolatesModule(isolates);
  const result = await esbuild.build({
    ...workerdBundle,
    entryPoints: [join(repoRoot, 'worker', 'index.ts')],
    external: ['cloudflare:*'],
    plugins: [
      {
        name: 'twirl-isolates',
        setup(build) {
          build.onResolve({ filter: /^twirl:isolates$/ }, () => ({ path: 'twirl:isolates', namespace: 'twirl-isolates' }));
          build.onResolve({ filter: /\.bin$/, namespace: 'twirl-isolates' }, ({ path }) => ({ path, external: true }));
          build.onLoad({ filter: /.*/, namespace: 'twirl-isolates' }, () => ({ contents: virtual.source, loader: 'js' }));
        },
      },
    ],
  });
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'index.js'), result.outputFiles[0]!.text);
  for (const [file, bytes] of virtual.data) {
    await mkdir(dirname(join(outDir, file)), { recursive: true });
    await writeFile(join(outDir, file), bytes);
  }
  return outDir;
}

if (resolve(process.argv[1] ?? '') === fileURLToPath(import.meta.url)) {
  const outDir = await buildPlatformWorker();
  console.log(`built the platform worker into ${outDir}`);
}
