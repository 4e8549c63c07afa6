/**
 * `twirl watch`: builds what is not built yet, runs the app, and on a change to a component's
 * `build.watch` files rebuilds that component and restarts; a change to spin.toml rebuilds and
 * restarts everything. chokidar follows files through rename-saves, deletions and new files.
 */
import { watch, type FSWatcher } from 'chokidar';
import { basename, posix, relative, sep } from 'node:path';
import { globToRegExp } from '../shared/host/files.ts';
import type { App } from '../shared/manifest/types.ts';
import { parseCommandLine } from './args.ts';
import { locateApp, readApp, type AppLocation } from './app-manifest.ts';
import { buildApp, warmBuilds } from './build.ts';
import { staleComponents } from './build-freshness.ts';
import type { Command } from './command.ts';
import { untilInterrupted } from './signals.ts';
import { reportError } from './output.ts';
import { startApp, upOptions, withFreePort, UP_FLAGS, UP_OPTIONS, type RunningApp, type UpOptions } from './up.ts';

const SETTLE_MS = 200;
/** Failures no edit can fix: watching on would only repeat them. */
const FATAL = new Set(['port-in-use', 'bad-listen']);

export const watchCommand: Command = {
  usage: `twirl watch [options]

${UP_FLAGS}`,
  async run(argv) {
    const { values } = parseCommandLine('watch', argv, UP_OPTIONS);
    const location = await locateApp(values.from);
    const session = new WatchSession(location, await withFreePort(upOptions(values), values['find-free-port']));
    // Watching first: an edit made while the first build runs is not lost, it queues a rebuild.
    const watcher = await session.watch();
    await session.cycle('start');
    session.warmUp();
    await untilInterrupted();
    await watcher.close();
    await session.stop();
  },
};

/** What to redo: every component (`all`), what is not built yet (`start`), some components' builds, or just a restart. */
type Work = 'all' | 'start' | Set<string>;

class WatchSession {
  private app: App | undefined;
  private running: RunningApp | undefined;
  private pending: 'all' | Set<string> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** A rebuild started by a change is waiting or running. */
  private rebuilding = false;
  private busy: Promise<void> = Promise.resolve();

  private readonly location: AppLocation;
  private readonly options: UpOptions;

  constructor(location: AppLocation, options: UpOptions) {
    this.location = location;
    this.options = options;
  }

  /** Rebuilds what `work` names and restarts `up`; a failure is printed and the old app keeps serving. */
  async cycle(work: Work): Promise<void> {
    try {
      if (work === 'all' || work === 'start' || !this.app) this.app = await readApp(this.location);
      const only = work === 'all' ? undefined : work === 'start' ? await staleComponents(this.location.appDir, this.app) : [...work].filter((id) => this.app!.components[id]?.build);
      if (only === undefined || only.length) await buildApp(this.location, this.app, only);
      if (work === 'start') this.reportUpToDate(only ?? []);
      await this.running?.stop();
      this.running = undefined;
      this.running = await startApp(this.location, this.options);
      // Port 0 asks for a free port once: restarts keep serving where the first start did.
      if (this.options.listen.port === 0) this.options.listen.port = Number(new URL(this.running.url).port);
    } catch (err) {
      if (FATAL.has((err as { code?: string }).code ?? '')) throw err;
      reportError(err);
      console.error(this.running ? 'Still serving the previous build; waiting for changes' : 'Waiting for changes');
    }
  }

  /**
   * While the user edits, the world's engine is read, compiled and run once, so the first
   * rebuild after a save costs what later ones do. A change meanwhile waits for it.
   */
  warmUp(): void {
    const app = this.app;
    if (!app) return;
    this.busy = this.busy.then(() => warmBuilds(this.location.appDir, app)).catch(() => {});
  }

  /** Resolves once the watcher has seen every existing file, so any later change is reported. */
  async watch(): Promise<FSWatcher> {
    const appDir = this.location.appDir;
    const watcher = watch(appDir, {
      ignoreInitial: true,
      ignored: (path) => /(^|[/\\])(node_modules|\.twirl|\.git)([/\\]|$)/.test(relative(appDir, path)),
    });
    watcher.on('all', (_event, path) => this.changed(relative(appDir, path).split(sep).join('/')));
    await new Promise<void>((ready, fail) => watcher.once('ready', ready).once('error', fail));
    return watcher;
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    await this.busy;
    await this.running?.stop();
  }

  private changed(file: string): void {
    if (file.startsWith('.twirl/') || file.includes('node_modules/')) return;
    const work = file === basename(this.location.manifestPath) ? 'all' : this.componentsWatching(file);
    if (work !== 'all' && work.size === 0) return;
    if (work === 'all' || this.pending === 'all') this.pending = 'all';
    else this.pending = new Set([...(this.pending ?? []), ...work]);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.settled(), SETTLE_MS);
  }

  /**
   * The changes have settled: one rebuild for all of them. While a rebuild is waiting or running,
   * what changes meanwhile waits for it to end and is then rebuilt once, however many saves
   * came (a slow build would otherwise queue one rebuild per pause in the typing).
   */
  private settled(): void {
    const next = this.pending;
    if (this.rebuilding || !next) return;
    this.pending = undefined;
    this.rebuilding = true;
    console.log(`\nChange detected; ${next === 'all' ? 'rebuilding the app' : `rebuilding ${[...next].join(', ')}`}`);
    this.busy = this.busy
      .then(() => this.cycle(next))
      .then(
        () => {
          this.rebuilding = false;
          this.settled();
        },
        // A fatal failure here (say, the port taken while restarting) leaves nothing to serve.
        (err: unknown) => process.exit(reportError(err)),
      );
  }

  private reportUpToDate(rebuilt: readonly string[]): void {
    const current = Object.values(this.app?.components ?? {}).filter((c) => c.build && !rebuilt.includes(c.id)).map((c) => c.id);
    if (current.length) console.log(`Up to date, not rebuilt: ${current.join(', ')}`);
  }

  /** Components whose `build.watch` globs (relative to their workdir) match, or which have no build and whose source changed. */
  private componentsWatching(file: string): Set<string> {
    const ids = new Set<string>();
    for (const component of Object.values(this.app?.components ?? {})) {
      if (component.build) {
        const inWorkdir = posix.relative(component.build.workdir ?? '.', file);
        if (!inWorkdir.startsWith('..') && component.build.watch.some((g) => globToRegExp(posix.normalize(g)).test(inWorkdir))) ids.add(component.id);
      } else if ('path' in component.source && posix.normalize(component.source.path) === file) ids.add(component.id);
    }
    return ids;
  }
}
