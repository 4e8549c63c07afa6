/**
 * `npm run deploy:platform -- --domain example.dev [--dry-run] [--outdir dir]`: the hosted Twirl
 * in one command. Builds the playground for the domain, the platform worker and its wrangler
 * configuration (platform-config.ts) into one folder; then either checks it with
 * `wrangler deploy --dry-run` (no account needed) or checks the account's prerequisites and
 * deploys it.
 */
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { TwirlError } from '../../shared/errors.ts';
import { PLATFORM_LAYOUT, checkDomain, playgroundBuildEnv, platformConfig, type PlatformConfigOptions } from './platform-config.ts';
import { buildPlatformWorker } from './platform-build.ts';
import { describeMissing, explainDeployFailure, missingPrerequisites } from './platform-prerequisites.ts';
import { runWrangler, tailOf } from './wrangler.ts';

const viteConfig = fileURLToPath(new URL('../../vite.config.ts', import.meta.url));

export interface PlatformDeployOptions extends PlatformConfigOptions {
  /** Where the worker, the playground and `wrangler.json` go; default a temporary folder. */
  outDir?: string;
  dryRun?: boolean;
  /** An already built playground to copy instead of building one (it must have been built for this domain). */
  assetsDir?: string;
  /** Show wrangler's and vite's output as they run (default true). */
  echo?: boolean;
}

export interface PlatformDeployResult {
  outDir: string;
  configPath: string;
  /** Everything wrangler printed. */
  output: string;
}

export async function deployPlatform(options: PlatformDeployOptions): Promise<PlatformDeployResult> {
  const domain = checkDomain(options.domain);
  const outDir = resolve(options.outDir ?? (await mkdtemp(join(tmpdir(), 'twirl-platform-'))));
  await mkdir(outDir, { recursive: true });
  const assets = join(outDir, PLATFORM_LAYOUT.assets);
  if (options.assetsDir) {
    await rm(assets, { recursive: true, force: true });
    await cp(resolve(options.assetsDir), assets, { recursive: true });
  } else await buildPlayground(domain, assets, options.echo ?? true);
  await buildPlatformWorker(join(outDir, PLATFORM_LAYOUT.worker));
  const configPath = join(outDir, PLATFORM_LAYOUT.config);
  await writeFile(configPath, `${JSON.stringify(platformConfig({ ...options, domain }), null, 2)}\n`);

  const echo = options.echo ?? true;
  if (options.dryRun) {
    // wrangler's packaged output goes beside, not inside, the folder it packages.
    const packaged = await mkdtemp(join(tmpdir(), 'twirl-platform-dry-run-'));
    try {
      const { code, output } = await runWrangler(['deploy', '--config', configPath, '--dry-run', '--outdir', packaged], echo);
      if (code !== 0) throw new TwirlError('wrangler-failed', `wrangler deploy --dry-run failed (exit ${code}):\n${tailOf(output)}`);
      return { outDir, configPath, output };
    } finally {
      await rm(packaged, { recursive: true, force: true });
    }
  }
  const missing = await missingPrerequisites(options.bucket ?? 'twirl-apps');
  if (missing.length > 0) throw new TwirlError('platform-prerequisites', describeMissing(missing));
  const { code, output } = await runWrangler(['deploy', '--config', configPath], echo);
  if (code !== 0) throw new TwirlError('wrangler-failed', explainDeployFailure(output) ?? `wrangler deploy failed (exit ${code}):\n${tailOf(output)}`);
  return { outDir, configPath, output };
}

/** `vite build` of web/ with the origins it is served from baked in (web/README.md). */
async function buildPlayground(domain: string, outDir: string, echo: boolean): Promise<void> {
  const { build } = await import('vite');
  Object.assign(process.env, playgroundBuildEnv(domain));
  await build({ configFile: viteConfig, logLevel: echo ? 'warn' : 'error', build: { outDir, emptyOutDir: true } });
}

const usage = `npm run deploy:platform -- --domain <domain> [options]

  --domain <host>              where the playground is served, e.g. example.dev (previews at *.example.dev)
  --zone <zone>                the Cloudflare zone of the domain (default: its last two labels)
  --dry-run                    build and check with \`wrangler deploy --dry-run\`; no account needed
  --outdir <dir>               where to write the worker, the playground and wrangler.json (default: a temporary folder)
  --assets <dir>               use this built playground instead of building one
  --name <name>                worker name (default twirl)
  --bucket <name>              R2 bucket of published apps (default twirl-apps)
  --without-worker-loader      for accounts without Worker Loader: published apps answer 503
  --publishes-per-minute <n>   per client address (default 10; 0: no limit)
  --max-archive-bytes <n>      largest published archive (default 25 MiB)`;

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      domain: { type: 'string' },
      zone: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      outdir: { type: 'string' },
      assets: { type: 'string' },
      name: { type: 'string' },
      bucket: { type: 'string' },
      'without-worker-loader': { type: 'boolean', default: false },
      'publishes-per-minute': { type: 'string' },
      'max-archive-bytes': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return console.log(usage);
  if (!values.domain) throw new TwirlError('missing-domain', `--domain is required\n\n${usage}`);
  const result = await deployPlatform({
    domain: values.domain,
    ...(values.zone ? { zone: values.zone } : {}),
    ...(values.outdir ? { outDir: values.outdir } : {}),
    ...(values.assets ? { assetsDir: values.assets } : {}),
    ...(values.name ? { name: values.name } : {}),
    ...(values.bucket ? { bucket: values.bucket } : {}),
    dryRun: values['dry-run'],
    workerLoader: !values['without-worker-loader'],
    ...(values['publishes-per-minute'] !== undefined ? { publishesPerMinute: wholeNumber('--publishes-per-minute', values['publishes-per-minute']) } : {}),
    ...(values['max-archive-bytes'] !== undefined ? { maxArchiveBytes: wholeNumber('--max-archive-bytes', values['max-archive-bytes']) } : {}),
  });
  const domain = checkDomain(values.domain);
  console.log(
    values['dry-run']
      ? `\nChecked without deploying: ${result.outDir} (wrangler.json, worker/, web/). Deploy it with: npx wrangler deploy --config ${result.configPath}`
      : `\nDeployed: https://${domain}/ (previews and published apps at https://*.${domain}/). Embed: <script type="module" src="https://${domain}/embed/v1.js"></script>`,
  );
}

function wholeNumber(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new TwirlError('bad-number', `${flag} ${JSON.stringify(value)} is not a whole number`);
  return n;
}

if (resolve(process.argv[1] ?? '') === fileURLToPath(import.meta.url)) {
  await main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(err instanceof TwirlError ? `twirl: ${err.message}` : err);
    process.exitCode = 1;
  });
}
