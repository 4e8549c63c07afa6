/**
 * StarlingMonkey's answer to a request whose fetch event ended without `event.respondWith()`: a
 * 500 whose body blames a missing listener. The usual cause is a listener that calls
 * respondWith only after an `await` — too late — so the component's log says how to call it.
 * The response stays as the engine made it: Spin sends the same.
 */
const ENGINE_BODY = 'ERROR: no fetch-event handler triggered, was one registered?';

const unansweredHint = (component: string): string =>
  `[twirl] component ${component}: the request ended without event.respondWith(), so the engine answered 500 ("no fetch-event handler triggered"). ` +
  'A fetch listener must call it before it returns: at once, with a Promise when the response comes later (after an await is too late).';

/** Logs the hint when `response` is the engine's answer to an unanswered fetch event; reads a copy of at most its first chunk. */
export function explainUnanswered(response: Response, component: string, log: (line: string) => void): void {
  if (response.status !== 500 || !response.body || !response.headers.get('content-type')?.startsWith('text/plain')) return;
  const reader = response.clone().body!.getReader();
  void reader.read().then(
    ({ value }) => {
      void reader.cancel().catch(() => {});
      if (value && new TextDecoder().decode(value).trim() === ENGINE_BODY) log(unansweredHint(component));
    },
    () => {},
  );
}
