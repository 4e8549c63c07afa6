/** Answers every request with JSON naming `component` and echoing the request's Spin headers. */
export function serveEcho(component) {
  addEventListener('fetch', (event) => event.respondWith(echo(component, event.request)));
}

function echo(component, request) {
  const headers = {};
  for (const [name, value] of request.headers) {
    if (name.startsWith('spin-')) headers[name] = value;
  }
  const { pathname } = new URL(request.url);
  return Response.json({ component, method: request.method, path: pathname, headers });
}
