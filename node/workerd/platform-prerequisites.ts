/**
 * What a Cloudflare account needs before the platform worker deploys, checked with wrangler's
 * own commands; each missing piece comes back with the command (or page) that fixes it.
 * Worker Loader has no read-only check: a deploy that fails for it is explained by
 * `explainDeployFailure`.
 */
import { runWrangler, type WranglerRun } from './wrangler.ts';

export interface Missing {
  what: string;
  fix: string;
}

type Run = (args: string[]) => Promise<WranglerRun>;

const quietly: Run = (args) => runWrangler(args, false);

export async function missingPrerequisites(bucket: string, run: Run = quietly): Promise<Missing[]> {
  const whoami = await run(['whoami']);
  if (whoami.code !== 0 || /not authenticated|not logged in/i.test(whoami.output)) {
    return [{ what: 'a Cloudflare login', fix: 'npx wrangler login   (or set CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID)' }];
  }
  const missing: Missing[] = [];
  const info = await run(['r2', 'bucket', 'info', bucket]);
  if (info.code !== 0) {
    missing.push(
      /enable R2|10042/i.test(info.output)
        ? { what: 'R2 on this account', fix: 'enable R2 in the Cloudflare dashboard (R2 Object Storage → Overview), then run this again' }
        : { what: `the R2 bucket ${bucket} (published apps)`, fix: `npx wrangler r2 bucket create ${bucket}` },
    );
  }
  return missing;
}

export function describeMissing(missing: Missing[]): string {
  return ['The Cloudflare account is missing:', ...missing.map((m) => `  - ${m.what}\n      fix: ${m.fix}`)].join('\n');
}

/** A failed `wrangler deploy` of the platform, said in terms of what to do; undefined when wrangler's own words are best. */
export function explainDeployFailure(output: string): string | undefined {
  if (/worker[_ ]?loader/i.test(output)) {
    return [
      'This account cannot bind a Worker Loader (LOADER), which runs published apps.',
      '  Deploy without it: npm run deploy:platform -- --domain <domain> --without-worker-loader',
      '  (the playground, previews and share links work; publishing answers 503), or see docs/hosting.md#accounts-without-worker-loader.',
    ].join('\n');
  }
  if (/ratelimit/i.test(output)) return 'This account cannot bind a rate limiter (PUBLISH_RATE_LIMIT): deploy with --publishes-per-minute 0, or see docs/hosting.md#abuse.';
  if (/zone|custom domain|route/i.test(output) && /not found|could not find|no zone|does not exist/i.test(output)) {
    return 'The domain is not a zone on this account: add it in the Cloudflare dashboard (Websites → Add a site), or name the zone with --zone.';
  }
  return undefined;
}
