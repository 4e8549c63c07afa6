/** Whether `err` is a WebAssembly trap, or an error raised because of one (its `cause`, at any depth). */
export function isTrap(err: unknown): boolean {
  for (let at = err, depth = 0; at instanceof Error && depth < 8; at = at.cause, depth++) {
    if (at instanceof WebAssembly.RuntimeError) return true;
  }
  return false;
}
