/**
 * Host calls spend fuel too. A loop iteration that calls the host costs far more than its own
 * instructions: a loop of awaits in a JS engine reads the clock once per turn of its job queue
 * and spends only a handful of loop iterations doing so, so its fuel would last for minutes
 * while the host does the real work of every call. Each synchronous call from Wasm to the host
 * therefore spends a fixed share of the request's fuel (waits do not: they let the host in).
 */

/**
 * Fuel one host call spends: about what a loop spends in the time the host takes for a call
 * (~15 µs of ~270 M iterations a second), so a request may make ~100,000 at the default fuel.
 */
export const hostCallFuel = 4_000n;

/**
 * Spends one host call's fuel from every metered module of an instance. At zero, the guest
 * traps at its next loop iteration, as any loop out of fuel does: no exception has to cross it.
 */
export function spendHostCall(fuel: readonly WebAssembly.Global[]): void {
  for (const global of fuel) {
    const left = (global.value as bigint) - hostCallFuel;
    global.value = left > 0n ? left : 0n;
  }
}
