/** A value made on first use and shared by every caller after; `reset` forgets it. */
export interface Lazy<T> {
  (): Promise<T>;
  /** The value once made, without waiting: undefined while it is being made, failed or was reset. */
  made(): T | undefined;
  reset(): void;
}

/**
 * `make` runs on the first call; later calls get the same promise. A failed make is forgotten
 * (unless a newer one has started meanwhile), so the next call tries again.
 */
export function lazyRetrying<T>(make: () => Promise<T>): Lazy<T> {
  let pending: Promise<T> | undefined;
  let value: { of: Promise<T>; made: T } | undefined;
  const get = (): Promise<T> => {
    if (!pending) {
      const started = make();
      pending = started;
      started.then(
        (made) => void (value = { of: started, made }),
        () => {
          if (pending === started) pending = undefined;
        },
      );
    }
    return pending;
  };
  // A value made by a start that was reset since is not the current one.
  const made = (): T | undefined => (value && value.of === pending ? value.made : undefined);
  return Object.assign(get, { made, reset: () => void (pending = undefined) });
}
