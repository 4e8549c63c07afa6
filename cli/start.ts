/**
 * `twirl start` (what `npm start` runs): the local worker with the playground and its API, and a
 * sample app — the http-js template, built once into `.twirl/start/` of this repo.
 */
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseCommandLine } from './args.ts';
import { readApp } from './app-manifest.ts';
import { buildApp } from './build.ts';
import type { Command } from './command.ts';
import { untilInterrupted } from './signals.ts';
import { copyTemplate, findTemplate, renameApp } from '../node/templates/templates.ts';
import { startApp, upOptions } from './up.ts';

const SAMPLE_TEMPLATE = 'http-js';
const sampleDir = resolve(import.meta.dirname, '../.twirl/start/sample');

export const startCommand: Command = {
  usage: `twirl start [--listen <host:port>]

  --listen <host:port>   where to serve (default: 127.0.0.1:3000)`,
  async run(argv) {
    const { values } = parseCommandLine('start', argv, { listen: { type: 'string', default: '127.0.0.1:3000' } });
    const location = { appDir: sampleDir, manifestPath: join(sampleDir, 'spin.toml') };
    if (!(await stat(location.manifestPath).catch(() => undefined))) {
      await copyTemplate(await findTemplate(SAMPLE_TEMPLATE), sampleDir);
      await renameApp(sampleDir, SAMPLE_TEMPLATE, 'sample');
    }
    const app = await readApp(location);
    const built = await Promise.all(Object.values(app.components).map((c) => 'path' in c.source && stat(join(sampleDir, c.source.path)).catch(() => undefined)));
    if (!built.every(Boolean)) await buildApp(location, app);
    const running = await startApp(location, { ...upOptions(values), playground: true });
    if (running.playgroundUrl) console.log(`Playground: ${running.playgroundUrl}`);
    await untilInterrupted();
    await running.stop();
  },
};
