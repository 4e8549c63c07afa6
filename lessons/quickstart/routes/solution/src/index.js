addEventListener('fetch', (event) => event.respondWith(handle(event.request)));

async function handle(request) {
  // What Spin matched: try logging these and watch the Logs tab.
  const route = request.headers.get('spin-matched-route');
  const pathInfo = request.headers.get('spin-path-info');
  console.log(`matched ${route}, path info "${pathInfo}"`);
  const name = request.headers.get('spin-path-match-name');
  return new Response(`Hello, ${name}!\n`, { headers: { 'content-type': 'text/plain' } });
}
