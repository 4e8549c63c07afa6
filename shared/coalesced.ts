/**
 * `run`, with calls that come while it runs folded into one more run after it: a burst of calls
 * costs at most two runs, and every caller's promise settles after a run that started after its
 * call (so whatever changed before the call is seen). No run overlaps another, so an older run
 * never finishes after a newer one.
 */
export function coalesced(run: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  let queued: Promise<void> | undefined;
  const call = (): Promise<void> => {
    if (!running) {
      // Runs never overlap: the one that finishes is the one running.
      running = run().finally(() => (running = undefined));
      return running;
    }
    queued ??= running.then(
      () => next(),
      () => next(),
    );
    return queued;
  };
  const next = (): Promise<void> => {
    queued = undefined;
    return call();
  };
  return call;
}
