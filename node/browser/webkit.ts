/**
 * WebKit (WebKitGTK's MiniBrowser, the engine of Safari) driven by selenium-webdriver through
 * Debian's WebKitWebDriver, on a virtual display (xvfb-run).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Builder, type WebDriver } from 'selenium-webdriver';

export const MINIBROWSER = process.env['MINIBROWSER_PATH'] ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

export interface FreshWebKit {
  driver: WebDriver;
  close(): Promise<void>;
}

/** Starts WebKitWebDriver on a free port: a port taken meanwhile makes it exit, and another is tried. */
async function startDriver(): Promise<{ process: ChildProcess; url: string }> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 40_000);
    const child = spawn('xvfb-run', ['-a', 'WebKitWebDriver', `--port=${port}`], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    let exited = false;
    child.once('exit', () => (exited = true));
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 30_000;
    while (!exited && Date.now() < deadline) {
      const ready = await fetch(`${url}/status`).then((r) => r.ok, () => false);
      if (ready) return { process: child, url };
      await new Promise((r) => setTimeout(r, 200));
    }
    stop(child);
  }
  throw new Error('WebKitWebDriver did not start (is webkit2gtk-driver installed, and xvfb-run?)');
}

/** Ends xvfb-run, its display and the driver: they share the process group started for them. */
function stop(child: ChildProcess): void {
  if (child.pid !== undefined && child.exitCode === null) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  }
}

/** A MiniBrowser with a session of its own (WebKitWebDriver starts it with an ephemeral profile). */
export async function freshWebKit(): Promise<FreshWebKit> {
  const server = await startDriver();
  try {
    const driver = await new Builder()
      .usingServer(server.url)
      .withCapabilities({ browserName: 'MiniBrowser', 'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] } })
      .build();
    await driver.manage().window().setRect({ width: 1400, height: 860 });
    return {
      driver,
      async close() {
        await driver.quit().catch(() => {});
        stop(server.process);
      },
    };
  } catch (err) {
    stop(server.process);
    throw err;
  }
}
