import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JCO_WASI_VERSION, WASI_PACKAGES, witFiles as sharedWitFiles } from '../../shared/build/wit-files.ts';

export { WASI_VERSION } from '../../shared/build/wit-files.ts';

const twirlWitDir = fileURLToPath(new URL('../../shared/wit/', import.meta.url));

function jcoWasiDir(): string {
  const require = createRequire(import.meta.url);
  // jco exports no package.json; its main entry is `dist/api.js`.
  const jcoRoot = dirname(dirname(require.resolve('@bytecodealliance/jco')));
  return join(jcoRoot, 'lib', 'wit', 'builtin', JCO_WASI_VERSION);
}

/** `node_modules/.cache/twirl` beside the installed toolchain, else the OS temp dir. */
export async function toolchainCacheDir(): Promise<string> {
  const nodeModules = fileURLToPath(new URL('../../node_modules/', import.meta.url));
  const exists = await stat(nodeModules).then((s) => s.isDirectory(), () => false);
  return exists ? join(nodeModules, '.cache', 'twirl') : join(tmpdir(), 'twirl-cache');
}

/** Every file of the WIT dir, relative path → text: `shared/build/wit-files.ts` on what is read here. */
async function witFiles(extraWorlds: string): Promise<Map<string, string>> {
  const twirlWit = new Map<string, string>();
  for (const name of (await readdir(twirlWitDir)).filter((n) => n.endsWith('.wit'))) twirlWit.set(name, await readFile(join(twirlWitDir, name), 'utf8'));
  const wasiDir = jcoWasiDir();
  const jcoWasi = new Map<string, string>();
  for (const pkg of WASI_PACKAGES) jcoWasi.set(pkg, await readFile(join(wasiDir, pkg, 'package.wit'), 'utf8'));
  return sharedWitFiles(twirlWit, jcoWasi, extraWorlds);
}

/**
 * A directory holding Twirl's worlds (plus `extraWorlds`, WIT text in package `twirl:app`)
 * with every dependency under `deps/`, ready for componentize-js. Assembled once per content
 * hash; returns its absolute path.
 */
export async function assembleWitDir(extraWorlds = ''): Promise<string> {
  const files = await witFiles(extraWorlds);
  const hash = createHash('sha256');
  for (const [path, text] of files) hash.update(path).update('\0').update(text).update('\0');
  const dir = join(await toolchainCacheDir(), `wit-${hash.digest('hex').slice(0, 16)}`);
  if (await stat(join(dir, 'world.wit')).then(() => true, () => false)) return dir;

  // Write beside, then rename, so a concurrent build never sees a half-written dir.
  const staging = `${dir}.${process.pid}.${Date.now()}`;
  for (const [path, text] of files) {
    await mkdir(dirname(join(staging, path)), { recursive: true });
    await writeFile(join(staging, path), text);
  }
  try {
    await rename(staging, dir);
  } catch {
    await rm(staging, { recursive: true, force: true }); // another process won the race
  }
  return dir;
}
