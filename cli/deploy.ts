/** `twirl deploy`: builds the app, then bundles and deploys it with wrangler (`node/workerd/deploy.ts`). */
import { relative, resolve } from 'node:path';
import { deployApp } from '../node/workerd/deploy.ts';
import { parseCommandLine } from './args.ts';
import { locateApp, readApp } from './app-manifest.ts';
import { buildApp } from './build.ts';
import type { Command } from './command.ts';

export const deployCommand: Command = {
  usage: `twirl deploy [-f <dir|spin.toml>] [--dry-run --outdir <dir>]

  -f, --from <dir|spin.toml>   the app (default: ./spin.toml)
  --dry-run                    bundle the Worker but do not upload it
  --outdir <dir>               where to write the Worker bundle (default: .twirl/deploy)
  --skip-build                 deploy what was last built`,
  async run(argv) {
    const { values } = parseCommandLine('deploy', argv, {
      from: { type: 'string', short: 'f' },
      'dry-run': { type: 'boolean' },
      outdir: { type: 'string' },
      'skip-build': { type: 'boolean' },
    });
    const location = await locateApp(values.from);
    const app = await readApp(location);
    if (!values['skip-build']) await buildApp(location, app);
    const result = await deployApp({
      appDir: location.appDir,
      manifestPath: location.manifestPath,
      dryRun: values['dry-run'] ?? false,
      ...(values.outdir ? { outDir: resolve(values.outdir) } : {}),
    });
    const bundled = relative(process.cwd(), result.outDir) || '.';
    if (values['dry-run']) console.log(`Dry run: bundled ${app.name} into ${bundled}; nothing was uploaded`);
    else console.log(result.url ? `Deployed ${app.name} to ${result.url}` : `Deployed ${app.name} (bundle in ${bundled})`);
  },
};
