/**
 * Code put before a JS component's bundle (esbuild's banner): an `async` fetch listener that
 * throws ends in a rejected Promise the engine never looks at, so the request fails with the
 * engine's 500 ("no fetch-event handler triggered") and its exception goes unreported. The
 * prelude wraps each fetch listener to log such a rejection as the engine logs a rejected
 * `respondWith()` Promise (message, then the stack), at the user's lines once mapped. The event
 * of such a listener also gets a respondWith whose too-late error carries a stack (the engine's
 * has none). It changes nothing else: the listener's result, the response and the other events
 * are the engine's.
 */

/** The wrapper's name: its frames are left out of the stack it reports, and of the engine's logs. */
const WRAPPER = '__twirlReportedFetchListener';

/** After the engine's message that respondWith came too late. */
const LATE_ADVICE = ' (call it before the first await, with a Promise of the response: event.respondWith(handle(event.request)))';

/** A wrapper's frame, called or awaited from (`async*`): a line of a stack the author never wrote. */
const WRAPPER_FRAME = `^(?:async\\*)?${WRAPPER}@`;

/**
 * A stack line naming a wrapper (`  __twirlReportedFetchListener@bundle.js:12:31`): it sits
 * under the listener in the stack of anything thrown while the listener runs, and means nothing
 * to the app's author.
 */
const wrapperFrame = new RegExp(WRAPPER_FRAME);
export const isWrapperFrame = (line: string): boolean => wrapperFrame.test(line.trimStart());

export const FETCH_LISTENER_PRELUDE = `{
  const add = globalThis.addEventListener, remove = globalThis.removeEventListener;
  const wrapped = new WeakMap();
  // The engine's error for a respondWith that comes after the listener returned (after an await)
  // carries no stack: one made here names the caller's line. Only a listener that returned a
  // Promise can still call it, so only its event is given this respondWith.
  const locateLateCalls = (event) => {
    const respondWith = event.respondWith;
    if (typeof respondWith !== 'function') return;
    try {
      Object.defineProperty(event, 'respondWith', { configurable: true, writable: true, value: function ${WRAPPER}(response) {
        try {
          return respondWith.call(this, response);
        } catch (err) {
          if (!(err instanceof Error) || err.stack) throw err;
          const located = new Error(err.message);
          located.name = err.name;
          throw located;
        }
      } });
    } catch {}
  };
  const report = (err) => {
    const stack = String(err?.stack ?? '').split('\\n').filter((l) => l && !/${WRAPPER_FRAME}/.test(l));
    const message = err instanceof Error ? err.message : String(err);
    // The engine's words when respondWith comes after an await: say what to write instead.
    const advice = /respondWith must be called synchronously/.test(message) ? '${LATE_ADVICE}' : '';
    console.error('Error in the async fetch listener: ' + message + advice + (stack.length ? '\\nStack:\\n  ' + stack.join('\\n  ') : ''));
  };
  if (typeof add === 'function') globalThis.addEventListener = function addEventListener(type, listener, options) {
    if (type !== 'fetch' || typeof listener !== 'function') return add.call(this, type, listener, options);
    let wrapper = wrapped.get(listener);
    if (!wrapper) wrapped.set(listener, (wrapper = function ${WRAPPER}(event) {
      const result = listener.call(this, event);
      if (result && typeof result.then === 'function') {
        locateLateCalls(event);
        result.then(undefined, report);
      }
      return result;
    }));
    return add.call(this, type, wrapper, options);
  };
  if (typeof remove === 'function') globalThis.removeEventListener = function removeEventListener(type, listener, options) {
    return remove.call(this, type, (type === 'fetch' && wrapped.get(listener)) || listener, options);
  };
}`;
