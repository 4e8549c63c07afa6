/**
 * `twirl start` (what `npm start` runs): the local worker with the playground and its API, and a
 * sample app — the http-js template, built once into `.twirl/start/` of this repo. The playground
 * keeps one address across restarts: its apps live in browser storage, which belongs to the origin.
 */
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseCommandLine } from './args.ts';
import { checkCanListen, parseListen } from './listen.ts';
import { ensurePlaygroundAssets } from './playground-assets.ts';
import { readApp } from './app-manifest.ts';
import { buildApp } from './build.ts';
import type { Command } from './command.ts';
import { untilInterrupted } from './signals.ts';
import { copyTemplate, findTemplate, renameApp } from '../node/templates/templates.ts';
import { startApp, upOptions, withFreePort } from './up.ts';

const SAMPLE_TEMPLATE = 'http-js';
const DEFAULT_PLAYGROUND = '127.0.0.1:3001';
const sampleDir = resolve(import.meta.dirname, '../.twirl/start/sample');

export const startCommand: Command = {
  usage: `twirl start [--listen <host:port>] [--find-free-port] [--playground <host:port>]

  --listen <host:port>       where the sample app serves (default: 127.0.0.1:3000)
  --find-free-port           if that port is taken, serve the sample app on the first free one of the next nine
  --playground <host:port>   where the playground serves (default: $TWIRL_PLAYGROUND or ${DEFAULT_PLAYGROUND});
                             keep it the same: the playground's apps are stored per address`,
  async run(argv) {
    const { values } = parseCommandLine('start', argv, {
      listen: { type: 'string', default: '127.0.0.1:3000' },
      'find-free-port': { type: 'boolean' },
      playground: { type: 'string', default: process.env['TWIRL_PLAYGROUND'] || DEFAULT_PLAYGROUND },
    });
    const playgroundListen = parseListen(values.playground, '--playground');
    // Before a build that may take minutes, not after it.
    await checkCanListen(playgroundListen, '--playground');
    const assetsDir = await ensurePlaygroundAssets();
    const location = { appDir: sampleDir, manifestPath: join(sampleDir, 'spin.toml') };
    if (!(await stat(location.manifestPath).catch(() => undefined))) {
      await copyTemplate(await findTemplate(SAMPLE_TEMPLATE), sampleDir);
      await renameApp(sampleDir, SAMPLE_TEMPLATE, 'sample');
    }
    const app = await readApp(location);
    const built = await Promise.all(Object.values(app.components).map((c) => 'path' in c.source && stat(join(sampleDir, c.source.path)).catch(() => undefined)));
    if (!built.every(Boolean)) await buildApp(location, app);
    const options = await withFreePort(upOptions(values), values['find-free-port'], [playgroundListen.port]);
    const running = await startApp(location, { ...options, playground: { listen: playgroundListen, assetsDir } });
    if (running.playgroundUrl) console.log(`Playground: ${playgroundAddress(running.playgroundUrl)}`);
    await untilInterrupted();
    await running.stop();
  },
};

/** Previews run on subdomains (`<app>.twirl.localhost`), which an IP address lacks: on loopback, name it twirl.localhost. */
function playgroundAddress(served: string): string {
  const url = new URL(served);
  if (url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]') url.hostname = 'twirl.localhost';
  return url.href;
}
