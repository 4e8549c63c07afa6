// A Spin HTTP component: componentize-js turns this `fetch` listener into an
// export of wasi:http/incoming-handler.
addEventListener('fetch', (event) => event.respondWith(handle(event.request)));

async function handle(request) {
  // Printed lines show in the Logs tab, under the request.
  console.log(`${request.method} ${new URL(request.url).pathname}`);
  return new Response('Hello, Fermyon!\n', { headers: { 'content-type': 'text/plain' } });
}
