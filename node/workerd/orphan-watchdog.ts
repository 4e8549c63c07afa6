/**
 * A workerd started by miniflare outlives its parent when the parent dies without running its exit
 * hooks (SIGKILL, a crash, an unhandled signal): it keeps serving and holds the port, and the next
 * `twirl up` fails with "address already in use". A small watchdog process holds the read end of a
 * pipe whose write end only this process has; the kernel closes it however this process ends, and
 * the watchdog then kills the workerd processes it was given.
 */
import { spawn } from 'node:child_process';
import { workerdPid } from './workerd-process.ts';

/** The watchdog's whole program, run by `node -e` (no file to ship or find). */
function watchdog(pids: number[]): void {
  process.stdin.resume();
  process.stdin.on('close', () => {
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    process.exit(0);
  });
}

export interface Watchdog {
  /** Ends the watchdog without touching the processes (they are being stopped properly). */
  stop(): void;
}

/** Watches the workerd processes serving `urls` (children of this process); Linux only, where their pids can be found. */
export async function watchOrphans(urls: string[]): Promise<Watchdog> {
  if (process.platform !== 'linux') return { stop() {} };
  // Serving matters more than the watch: a workerd not found is served unwatched.
  const pids = await Promise.all(urls.map((url) => workerdPid(url))).catch(() => undefined);
  if (!pids) return { stop() {} };
  const child = spawn(process.execPath, ['-e', `(${watchdog.toString()})(${JSON.stringify(pids)})`], {
    // Its own process group: a Ctrl-C to the terminal's group must not end it before the proper stop.
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  // Neither the process nor the pipe keeps this process alive.
  child.unref();
  (child.stdin as unknown as { unref(): void }).unref();
  return {
    stop() {
      child.kill('SIGKILL');
    },
  };
}
