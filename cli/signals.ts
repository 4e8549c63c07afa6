/**
 * The CLI owns Ctrl-C, SIGTERM and SIGHUP (its terminal closed) while an app runs: it stops the
 * app itself, waits for that, and exits 0, as `spin up` does.
 */

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Runs `start`, then removes any SIGINT/SIGTERM listener it added. miniflare's exit hook is
 * such a listener: it kills workerd and calls `process.exit(130)` at once, before an async
 * stop can finish. Its `exit` listener, which also kills workerd, stays as a safety net.
 */
export async function withoutSignalExits<T>(start: () => Promise<T>): Promise<T> {
  const before = new Map(SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
  try {
    return await start();
  } finally {
    for (const signal of SIGNALS) {
      for (const listener of process.listeners(signal)) {
        if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener as () => void);
      }
    }
  }
}

/** Resolves on the first Ctrl-C, SIGTERM or SIGHUP; a second one exits at once. */
export function untilInterrupted(): Promise<void> {
  return new Promise((done) => {
    const onSignal = (): void => {
      for (const signal of SIGNALS) process.removeListener(signal, onSignal);
      for (const signal of SIGNALS) process.once(signal, () => process.exit(130));
      done();
    };
    for (const signal of SIGNALS) process.on(signal, onSignal);
  });
}
