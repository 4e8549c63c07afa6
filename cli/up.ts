/** `twirl up`: runs the app locally on workerd, as `spin up`, until Ctrl-C. */
import { stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { App } from '../shared/manifest/types.ts';
import { variablesFromEnvironment } from '../shared/host/variables.ts';
import { keyValueDir, startLocalWorker } from '../node/workerd/local.ts';
import type { Limits } from '../shared/limits.ts';
import { parseAssignments, parseCommandLine } from './args.ts';
import { locateApp, readApp, type AppLocation } from './app-manifest.ts';
import { apiOrigin, fetchPublishedApp, publishedDigest } from './published-app.ts';
import { buildApp } from './build.ts';
import type { Command } from './command.ts';
import { openComponentLogs } from './component-logs.ts';
import { checkCanListen, firstFreePort, listenError, parseListen, type ListenAddress } from './listen.ts';
import { CliError, twirlCommand } from './output.ts';
import { servingBanner } from './routes-banner.ts';
import { untilInterrupted, withoutSignalExits } from './signals.ts';

export const UP_FLAGS = `  -f, --from <dir|spin.toml|digest>  the app (default: ./spin.toml); a sha256 digest runs a published app
  --api <url>                  where published apps are fetched from (default: $TWIRL_API)
  --listen <host:port>         where to serve (default: 127.0.0.1:3000)
  --find-free-port             if that port is taken, serve on the first free one of the next nine
  --key-value <KEY=VALUE>      set a key in the default key-value store first (repeatable)
  --variable <NAME=VALUE>      set an application variable (repeatable; also SPIN_VARIABLE_<NAME>)
  -e, --env <NAME=VALUE>       set an environment variable for every component (repeatable)
  --fuel <iterations>          loop iterations one request may run before it is stopped (504)
  --cpu-ms <ms>                time one request may run between its waits before it is stopped (504)
  --host-calls <n>             calls to the host one request may make before it is stopped (504)`;

export const UP_OPTIONS = {
  from: { type: 'string', short: 'f' },
  api: { type: 'string' },
  listen: { type: 'string', default: '127.0.0.1:3000' },
  'find-free-port': { type: 'boolean' },
  'key-value': { type: 'string', multiple: true },
  variable: { type: 'string', multiple: true },
  env: { type: 'string', short: 'e', multiple: true },
  fuel: { type: 'string' },
  'cpu-ms': { type: 'string' },
  'host-calls': { type: 'string' },
} as const;

export const upCommand: Command = {
  usage: `twirl up [options]

${UP_FLAGS}
  --build                      run \`twirl build\` first`,
  async run(argv) {
    const { values } = parseCommandLine('up', argv, { ...UP_OPTIONS, build: { type: 'boolean' } });
    const digest = publishedDigest(values.from);
    const location = await locateApp(digest ? await fetchPublishedApp(digest, apiOrigin(values.api)) : values.from);
    const options = await withFreePort(upOptions(values), values['find-free-port']);
    if (values.build) await buildApp(location, await readApp(location));
    const running = await startApp(location, options);
    await untilInterrupted();
    await running.stop();
  },
};

export interface UpOptions {
  listen: ListenAddress;
  variables: Record<string, string>;
  environment: Record<string, string>;
  keyValues: Record<string, string>;
  /** Per-request budgets that differ from the engine's defaults. */
  limits: Partial<Pick<Limits, 'fuel' | 'cpuMs' | 'maxHostCalls'>>;
  /** Also serve the playground and its API here (`twirl start`). */
  playground?: { listen: ListenAddress; assetsDir: string };
}

export function upOptions(values: { listen: string; 'key-value'?: string[]; variable?: string[]; env?: string[]; fuel?: string; 'cpu-ms'?: string; 'host-calls'?: string }): UpOptions {
  return {
    limits: {
      ...(values.fuel !== undefined ? { fuel: positiveInteger(values.fuel, '--fuel') } : {}),
      ...(values['cpu-ms'] !== undefined ? { cpuMs: positiveInteger(values['cpu-ms'], '--cpu-ms') } : {}),
      ...(values['host-calls'] !== undefined ? { maxHostCalls: positiveInteger(values['host-calls'], '--host-calls') } : {}),
    },
    listen: parseListen(values.listen),
    variables: { ...variablesFromEnvironment(process.env), ...parseAssignments(values.variable, '--variable') },
    environment: parseAssignments(values.env, '--env'),
    keyValues: parseAssignments(values['key-value'], '--key-value'),
  };
}

/**
 * With `--find-free-port`, where to listen is settled once: a restart (`twirl watch`) keeps the
 * port. `reserved`: ports Twirl itself serves on besides (the playground's, under `twirl start`).
 */
export async function withFreePort(options: UpOptions, find: boolean | undefined, reserved: readonly number[] = []): Promise<UpOptions> {
  return find ? { ...options, listen: await firstFreePort(options.listen, reserved) } : options;
}

function positiveInteger(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n <= 0) throw new CliError(`${flag} takes a positive whole number, not ${JSON.stringify(text)}`, 'bad-flag');
  return n;
}

export interface RunningApp {
  url: string;
  playgroundUrl?: string;
  stop(): Promise<void>;
}

/** Validates the app, starts it on workerd with state in `<app>/.twirl`, and prints where it serves. */
export async function startApp(location: AppLocation, options: UpOptions): Promise<RunningApp> {
  const app = await readApp(location, options.variables);
  await checkSources(location.appDir, app);
  await checkCanListen(options.listen);
  if (options.playground) await checkCanListen(options.playground.listen, '--playground');
  const persistDir = join(location.appDir, '.twirl');
  const logs = await openComponentLogs(join(persistDir, 'logs'));
  let worker: { url: string; playgroundUrl?: string; stop(): Promise<void> };
  try {
    worker = await withoutSignalExits(() => startLocalWorker({
      appDir: location.appDir,
      manifestPath: location.manifestPath,
      host: options.listen.host,
      port: options.listen.port,
      persistDir,
      variables: options.variables,
      environment: options.environment,
      keyValues: options.keyValues,
      limits: options.limits,
      logs,
      ...(options.playground ? { playground: { ...options.playground.listen, assetsDir: options.playground.assetsDir } } : {}),
    }));
  } catch (err) {
    logs.close();
    throw listenError(options.listen, err);
  }
  // In Spin's order: where things are kept, a blank line, then where the app serves.
  const shown = (dir: string): string => `"${relative(process.cwd(), dir) || '.'}/"`;
  console.log(`Logging component stdio to ${shown(logs.dir)}`);
  if (Object.values(app.components).some((c) => c.keyValueStores.length > 0)) console.log(`Storing key-value data to ${shown(keyValueDir(persistDir))}`);
  console.log(`\n${servingBanner(app, worker.url)}`);
  return {
    url: worker.url,
    ...(worker.playgroundUrl ? { playgroundUrl: worker.playgroundUrl } : {}),
    async stop() {
      await worker.stop();
      logs.close();
    },
  };
}

/** Every component's local `source` must exist, as a file: a fresh app has not been built yet. */
async function checkSources(appDir: string, app: App): Promise<void> {
  for (const component of Object.values(app.components)) {
    if (!('path' in component.source)) continue;
    const info = await stat(resolve(appDir, component.source.path)).catch(() => undefined);
    if (info?.isDirectory()) throw new CliError(`component ${component.id}: source ${component.source.path} is a folder, not a .wasm file`, 'missing-source');
    if (info) continue;
    const hint = component.build ? `; run \`${twirlCommand()} build\` first` : '';
    throw new CliError(`component ${component.id}: ${component.source.path} does not exist${hint}`, 'missing-source');
  }
}
