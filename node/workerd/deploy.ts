/**
 * `twirl deploy` (Node): bundles the app (bundle.ts) and hands the bundle to `wrangler deploy`;
 * with `dryRun`, wrangler checks and packages it without an account and nothing is uploaded.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TwirlError } from '../../shared/errors.ts';
import { bundleApp, type AppBundle, type BundleOptions } from './bundle.ts';
import { checkCloudflareLimits } from './bundle-limits.ts';
import { runWrangler, tailOf } from './wrangler.ts';

export interface DeployOptions extends BundleOptions {
  dryRun?: boolean;
  /** Show wrangler's output as it runs (default true). */
  echo?: boolean;
}

export interface DeployResult extends AppBundle {
  /** The deployed worker's URL, when wrangler printed one. */
  url?: string;
  /** Everything wrangler printed. */
  output: string;
}

export async function deployApp(options: DeployOptions): Promise<DeployResult> {
  const bundle = await bundleApp(options);
  // Refused here, with what is too big, rather than by wrangler or at run time.
  if (bundle.footprint) checkCloudflareLimits(bundle.footprint);
  // wrangler's own dry-run output goes elsewhere: inside the bundle it would be found as modules next time.
  const packaged = options.dryRun ? await mkdtemp(join(tmpdir(), 'twirl-dry-run-')) : undefined;
  try {
    const args = ['deploy', '--config', bundle.configPath, ...(packaged ? ['--dry-run', '--outdir', packaged] : [])];
    const { code, output } = await runWrangler(args, options.echo ?? true);
    if (code !== 0) throw new TwirlError('wrangler-failed', `wrangler deploy failed (exit ${code}):\n${tailOf(output)}`);
    const url = /https:\/\/[^\s]+\.workers\.dev\b/.exec(output)?.[0];
    return { ...bundle, ...(url ? { url } : {}), output };
  } finally {
    if (packaged) await rm(packaged, { recursive: true, force: true });
  }
}
