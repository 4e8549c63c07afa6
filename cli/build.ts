/** `twirl build`: runs each component's `[component.<id>.build] command` in its workdir, as `spin build`. */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { App, BuildConfig } from '../shared/manifest/types.ts';
import { parseComponentizeCommand } from '../shared/build/build-command.ts';
import { parseCommandLine } from './args.ts';
import { locateApp, readApp, type AppLocation } from './app-manifest.ts';
import type { Command } from './command.ts';
import { CliError, formatDuration, reportError } from './output.ts';
import { envWithTwirl } from './twirl-shim.ts';

export const buildCommand: Command = {
  usage: `twirl build [-f <dir|spin.toml>] [-c <component>]... [--up [-- <twirl up options>]]

  -f, --from <dir|spin.toml>   the app (default: ./spin.toml)
  -c, --component <id>         build only this component (repeatable)
  -u, --up                     run the app after building, as \`twirl up\` (its options after \`--\`)`,
  async run(argv) {
    const { values, positionals } = parseCommandLine('build', argv, {
      from: { type: 'string', short: 'f' },
      component: { type: 'string', short: 'c', multiple: true },
      up: { type: 'boolean', short: 'u' },
    });
    if (positionals.length > 0 && !values.up) throw new CliError(`unexpected ${positionals[0]}; options for \`twirl up\` go after \`--up --\``, 'bad-arguments');
    const location = await locateApp(values.from);
    await buildApp(location, await readApp(location), values.component);
    if (!values.up) return;
    const { upCommand } = await import('./up.ts');
    return upCommand.run([...(values.from ? ['--from', values.from] : []), ...positionals]);
  },
};

/** Builds the components with a build command (all, or those in `only`), in manifest order; throws on the first failure. */
export async function buildApp(location: AppLocation, app: App, only?: readonly string[]): Promise<void> {
  for (const id of only ?? []) {
    if (!Object.hasOwn(app.components, id)) throw new CliError(`no component "${id}" in ${location.manifestPath}`, 'unknown-component');
  }
  const targets = Object.values(app.components).filter((c) => c.build && (!only || only.includes(c.id)));
  if (targets.length === 0) {
    console.log('None of the components have a build command.');
    return;
  }
  const env = await envWithTwirl(join(location.appDir, '.twirl'));
  const started = performance.now();
  for (const component of targets) await buildComponent(location.appDir, component.id, component.build!, env);
  console.log(`Finished building all Spin components in ${formatDuration(performance.now() - started)}`);
}

async function buildComponent(appDir: string, id: string, build: BuildConfig, env: NodeJS.ProcessEnv): Promise<void> {
  console.log(`Building component ${id} with \`${build.command}\``);
  if (build.workdir) console.log(`Working directory: "${build.workdir}"`);
  const started = performance.now();
  const cwd = resolve(appDir, build.workdir ?? '.');
  if (parseComponentizeCommand(build.command)) await componentizeHere(id, build.command, cwd);
  else await runBuildCommand(id, build.command, cwd, env);
  console.log(`Built component ${id} in ${formatDuration(performance.now() - started)}`);
}

/** Makes the next `twirl componentize` build of each component in this process start warm (for `twirl watch`). */
export async function warmBuilds(appDir: string, app: App): Promise<void> {
  for (const component of Object.values(app.components)) {
    const build = component.build;
    if (!build || !parseComponentizeCommand(build.command)) continue;
    const { warmComponentize } = await import('../node/toolchain/componentize.ts');
    await warmComponentize(componentizeArgv(build.command), resolve(appDir, build.workdir ?? '.'));
  }
}

/** The arguments after `twirl componentize` (or `npx twirl componentize`). */
function componentizeArgv(command: string): string[] {
  const words = command.trim().split(/\s+/);
  return words.slice(words[0] === 'npx' ? 3 : 2);
}

/**
 * `twirl componentize` runs in this process rather than in a shell: no second Node starts, and
 * `twirl watch` keeps the world's engine compiled from one rebuild to the next.
 */
async function componentizeHere(id: string, command: string, cwd: string): Promise<void> {
  const { componentizeCommand } = await import('../node/toolchain/componentize.ts');
  try {
    await componentizeCommand(componentizeArgv(command), cwd);
  } catch (err) {
    reportError(err);
    throw new CliError(`build command for component ${id} failed`, 'build-failed');
  }
}

async function runBuildCommand(id: string, command: string, cwd: string, env: NodeJS.ProcessEnv): Promise<void> {
  const outcome = await runShell(command, cwd, env);
  if (outcome.error) throw new CliError(`build command for component ${id} could not start in ${cwd}: ${outcome.error.message}`, 'build-failed');
  if (outcome.code !== 0) {
    const how = outcome.signal ? `killed by ${outcome.signal}` : `exit ${outcome.code}`;
    throw new CliError(`build command for component ${id} failed (${how})`, 'build-failed');
  }
}

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  error?: Error;
}

/** Runs `command` in a shell with the terminal's stdio, so its output streams as it comes. */
function runShell(command: string, cwd: string, env: NodeJS.ProcessEnv): Promise<Outcome> {
  return new Promise((done) => {
    const child = spawn(command, { cwd, env, shell: true, stdio: 'inherit' });
    child.once('error', (error) => done({ code: null, signal: null, error }));
    child.once('exit', (code, signal) => done({ code, signal }));
  });
}
