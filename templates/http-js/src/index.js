// A Spin HTTP component: componentize-js turns this `fetch` listener into
// an export of wasi:http/incoming-handler.
addEventListener('fetch', (event) => event.respondWith(handle(event.request)));

/** @param {Request} request */
async function handle(request) {
  const url = new URL(request.url);
  const body = `Hello, Fermyon!\nmethod: ${request.method}\npath: ${url.pathname}\n`;
  return new Response(body, { status: 200, headers: { 'content-type': 'text/plain' } });
}
