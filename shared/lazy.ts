/** A value made on first use and shared by every caller after; `reset` forgets it. */
export interface Lazy<T> {
  (): Promise<T>;
  reset(): void;
}

/**
 * `make` runs on the first call; later calls get the same promise. A failed make is forgotten
 * (unless a newer one has started meanwhile), so the next call tries again.
 */
export function lazyRetrying<T>(make: () => Promise<T>): Lazy<T> {
  let pending: Promise<T> | undefined;
  const get = (): Promise<T> => {
    if (!pending) {
      const started = make();
      pending = started;
      started.catch(() => {
        if (pending === started) pending = undefined;
      });
    }
    return pending;
  };
  return Object.assign(get, { reset: () => void (pending = undefined) });
}
