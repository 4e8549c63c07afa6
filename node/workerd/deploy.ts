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

/** What went wrong, once: wrangler's output is not repeated when it was shown as it ran. */
export function deployFailure(code: number | null, output: string, echoed: boolean): string {
  const said = echoed ? `wrangler deploy failed (exit ${code}); its output is above` : `wrangler deploy failed (exit ${code}):\n${tailOf(output)}`;
  if (!/CLOUDFLARE_API_TOKEN|not logged in|wrangler login/i.test(output)) return said;
  return `${said}\nwrangler has no Cloudflare account to deploy to: run \`npx wrangler login\` (or set CLOUDFLARE_API_TOKEN), then deploy again; \`twirl deploy --dry-run\` bundles the app without an account`;
}

export async function deployApp(options: DeployOptions): Promise<DeployResult> {
  const bundle = await bundleApp(options);
  // Refused here, with what is too big, rather than by wrangler or at run time.
  if (bundle.footprint) checkCloudflareLimits(bundle.footprint);
  // wrangler's own dry-run output goes elsewhere: inside the bundle it would be found as modules next time.
  const packaged = options.dryRun ? await mkdtemp(join(tmpdir(), 'twirl-dry-run-')) : undefined;
  try {
    const args = ['deploy', '--config', bundle.configPath, ...(packaged ? ['--dry-run', '--outdir', packaged] : [])];
    const echo = options.echo ?? true;
    const { code, output } = await runWrangler(args, echo);
    if (code !== 0) throw new TwirlError('wrangler-failed', deployFailure(code, output, echo));
    const url = /https:\/\/[^\s]+\.workers\.dev\b/.exec(output)?.[0];
    return { ...bundle, ...(url ? { url } : {}), output };
  } finally {
    if (packaged) await rm(packaged, { recursive: true, force: true });
  }
}
