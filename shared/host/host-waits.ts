/**
 * Whether a guest can wait on the host. With JSPI (`WebAssembly.Suspending`) an import may return
 * a promise and the guest is suspended until it settles. Without it (Safari and every WebKit
 * browser today) a component runs with synchronous glue: each host call must answer at once, and
 * one that cannot fails the request with a message that names what it waited for and what to use.
 */
import { TwirlError } from '../errors.ts';

/** In every message about a wait without JSPI: a host's UI may pick those out of the logs. */
export const NEEDS_JSPI = 'which needs JSPI (WebAssembly.Suspending)';

/** Which browsers can run components that wait on the host, for messages. */
export const JSPI_BROWSERS = 'Chrome or Edge 137 or later, or Firefox 153 or later';

export function hostHasJspi(): boolean {
  return typeof (WebAssembly as { Suspending?: unknown }).Suspending === 'function';
}

/** Depth of synchronous guest calls on the stack: JS runs one thing at a time, so this is exact. */
let syncCalls = 0;

/** Runs a synchronous glue's export: any host call inside it that would have to wait fails instead. */
export function callWithoutWaiting<T>(call: () => T): T {
  syncCalls++;
  try {
    return call();
  } finally {
    syncCalls--;
  }
}

/** The message for a wait that a synchronous guest cannot make. */
export function cannotWait(what: string): TwirlError {
  return new TwirlError(
    'needs-jspi',
    `the component waited for ${what}, ${NEEDS_JSPI}, and this browser lacks it: run the app in ${JSPI_BROWSERS}, or with \`twirl up\``,
  );
}

/**
 * A host call's answer: as it is when the guest can wait (JSPI glue awaits it) or when it is
 * already a value; a promise inside a synchronous guest call fails the request instead.
 */
export function answerNow<T>(answer: T | Promise<T>, what: string): T | Promise<T> {
  if (syncCalls === 0 || !(answer instanceof Promise)) return answer;
  answer.catch(() => {});
  throw cannotWait(what);
}

/** Whether a synchronous guest call is running (host code that could spin briefly asks). */
export const waitingIsImpossible = (): boolean => syncCalls > 0;
