/** deploy:platform's configuration and account checks, and how twirl deploy reports a failed upload; wrangler's answers stand in for a Cloudflare account. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkDomain, platformConfig, playgroundBuildEnv } from '../../../node/workerd/platform-config.ts';
import { describeMissing, explainDeployFailure, missingPrerequisites } from '../../../node/workerd/platform-prerequisites.ts';
import { deployFailure } from '../../../node/workerd/deploy.ts';

test('the configuration routes the apex as a custom domain and every subdomain to the worker, with the domain as a var', () => {
  const config = platformConfig({ domain: 'play.example.dev' }) as Record<string, any>;
  assert.deepEqual(config['routes'], [
    { pattern: 'play.example.dev', custom_domain: true },
    { pattern: '*.play.example.dev/*', zone_name: 'example.dev' },
  ]);
  assert.equal(config['vars'].TWIRL_DOMAIN, 'play.example.dev');
  assert.equal(config['assets'].run_worker_first, true);
  assert.deepEqual(config['worker_loaders'], [{ binding: 'LOADER' }]);
  assert.deepEqual(config['ratelimits'][0].simple, { limit: 10, period: 60 });
  assert.equal(platformConfig({ domain: 'example.dev', workerLoader: false, publishesPerMinute: 0 })['worker_loaders'], undefined);
  assert.equal(platformConfig({ domain: 'example.dev', publishesPerMinute: 0 })['ratelimits'], undefined);
});

test('the playground is built with its preview origins and API on the domain', () => {
  assert.deepEqual(playgroundBuildEnv('example.dev'), { VITE_TWIRL_PREVIEW_ORIGIN: 'https://{app}.example.dev', VITE_TWIRL_API: 'https://example.dev' });
});

test('a domain with a scheme, port or path is refused, naming the flag', () => {
  for (const bad of ['https://example.dev', 'example.dev:8443', 'example.dev/play', 'localhost', '']) {
    assert.throws(() => checkDomain(bad), /--domain .* is not a host name/, bad);
  }
  assert.equal(checkDomain('Example.DEV.'), 'example.dev');
});

const answers = (byCommand: Record<string, { code: number; output: string }>) => async (args: string[]) =>
  byCommand[args.slice(0, 3).join(' ')] ?? byCommand[args[0]!] ?? { code: 0, output: '' };

test('a missing login is reported alone, with the command to log in', async () => {
  const missing = await missingPrerequisites('twirl-apps', answers({ whoami: { code: 0, output: 'You are not authenticated. Please run `wrangler login`.' } }));
  assert.equal(missing.length, 1);
  assert.match(missing[0]!.fix, /wrangler login/);
});

test('a missing bucket is reported with the command that creates it', async () => {
  const missing = await missingPrerequisites(
    'my-apps',
    answers({ whoami: { code: 0, output: 'You are logged in' }, 'r2 bucket info': { code: 1, output: 'The specified bucket does not exist. [code: 10006]' } }),
  );
  assert.deepEqual(missing.map((m) => m.fix), ['npx wrangler r2 bucket create my-apps']);
  assert.match(describeMissing(missing), /R2 bucket my-apps[\s\S]*fix: npx wrangler r2 bucket create my-apps/);
  const none = await missingPrerequisites('my-apps', answers({ whoami: { code: 0, output: 'You are logged in' } }));
  assert.deepEqual(none, []);
});

test('a deploy refused for Worker Loader says how to deploy without it', () => {
  assert.match(explainDeployFailure('A request to the Cloudflare API failed. worker_loaders binding is not allowed for this account') ?? '', /--without-worker-loader/);
  assert.equal(explainDeployFailure('something else entirely'), undefined);
});

test("twirl deploy's failure says it once, and without an account says how to log in or dry-run", () => {
  // What wrangler 4 prints, without a terminal, when it has no account.
  const noAccount = "✘ [ERROR] In a non-interactive environment, it's necessary to set a CLOUDFLARE_API_TOKEN environment variable for wrangler to work.";
  const shown = deployFailure(1, noAccount, true);
  assert.equal(shown.split('\n')[0], 'wrangler deploy failed (exit 1); its output is above');
  assert.match(shown, /run `npx wrangler login` \(or set CLOUDFLARE_API_TOKEN\).*`twirl deploy --dry-run`/);
  const quiet = deployFailure(1, `line\n${noAccount}`, false);
  assert.match(quiet, /^wrangler deploy failed \(exit 1\):\nline\n✘ \[ERROR\]/);
  assert.equal(deployFailure(1, 'Script startup exceeded CPU time limit.', true), 'wrangler deploy failed (exit 1); its output is above');
});
