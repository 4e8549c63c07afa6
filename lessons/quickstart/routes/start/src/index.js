addEventListener('fetch', (event) => event.respondWith(handle(event.request)));

async function handle(request) {
  // What Spin matched: try logging these and watch the Logs tab.
  const route = request.headers.get('spin-matched-route');
  const pathInfo = request.headers.get('spin-path-info');
  console.log(`matched ${route}, path info "${pathInfo}"`);
  return new Response('Hello, world!\n', { headers: { 'content-type': 'text/plain' } });
}
