/**
 * The playground's static files (`vite build` of web/) for `twirl start`: built on first use and
 * again whenever what goes into them changed, so a fresh clone's `npm start` serves a working
 * playground without a separate `npm run build`.
 */
import { createHash } from 'node:crypto';
import { readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { CliError, formatDuration } from './output.ts';

const repoRoot = resolve(import.meta.dirname, '..');
/** Where the build goes; tests point it elsewhere so they never touch the user's build. */
export const playgroundAssetsDir = (): string => resolve(repoRoot, process.env['TWIRL_PLAYGROUND_OUT'] ?? 'dist/web');

/** What the build reads: the playground, the engine it bundles, the templates it prepares, the build setup. */
const SOURCES = ['web', 'shared', 'templates', 'vite.config.ts', 'package-lock.json'];
const SKIPPED = new Set(['node_modules', 'dist', '.twirl', '.cache']);

/** Builds the playground into `playgroundAssetsDir()` unless a build of the same inputs is there; returns the folder. */
export async function ensurePlaygroundAssets(): Promise<string> {
  if (!(await stat(join(repoRoot, 'web')).catch(() => undefined))) {
    throw new CliError('twirl start serves the playground from a Twirl checkout (its web/ folder); an installed twirl runs apps with `twirl up`', 'no-playground');
  }
  const outDir = playgroundAssetsDir();
  // Beside the output, not in it: everything in the output is served.
  const stampFile = `${outDir}.stamp`;
  const stamp = await inputsDigest();
  if ((await readFile(stampFile, 'utf8').catch(() => '')) === stamp) return outDir;
  console.log('Building the playground (web/ with vite, templates prepared with the real toolchain);');
  console.log('this happens on the first start and after its sources change, and takes a few minutes.');
  const started = performance.now();
  await rm(stampFile, { force: true });
  const { build } = await import('vite');
  await build({
    configFile: join(repoRoot, 'vite.config.ts'),
    // Its warnings are about the bundled toolchain, not for whoever runs `npm start`; errors still show.
    logLevel: 'error',
    build: { outDir, emptyOutDir: true },
    plugins: [{ name: 'twirl-build-progress', buildStart: () => console.log('Bundling the playground…'), writeBundle: () => console.log('Writing the playground…') }],
  });
  await writeFile(stampFile, stamp);
  console.log(`Playground built in ${formatDuration(performance.now() - started)}`);
  return outDir;
}

/** A digest of every input file's path and bytes, and of the settings that change the output. */
async function inputsDigest(): Promise<string> {
  const hash = createHash('sha256');
  hash.update(JSON.stringify([process.env['TWIRL_PLAYGROUND_TEMPLATES'] ?? '', process.env['TWIRL_PLAYGROUND_PREPARED'] ?? '']));
  for (const file of await inputFiles()) {
    hash.update(`\0${relative(repoRoot, file).split(sep).join('/')}\0`);
    hash.update(await readFile(file));
  }
  return hash.digest('hex');
}

async function inputFiles(): Promise<string[]> {
  const files: string[] = [];
  const visit = async (path: string): Promise<void> => {
    const entries = await readdir(path, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOTDIR') return undefined;
      if (err.code === 'ENOENT') return [];
      throw err;
    });
    if (entries === undefined) return void files.push(path);
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (SKIPPED.has(entry.name)) continue;
      const child = join(path, entry.name);
      if (entry.isDirectory()) await visit(child);
      else if (entry.isFile()) files.push(child);
    }
  };
  for (const source of SOURCES) await visit(join(repoRoot, source));
  return files;
}
