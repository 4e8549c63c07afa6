// Every request gets a fresh instance: this Map starts empty each time.
const notes = new Map();

addEventListener('fetch', (event) => event.respondWith(handle(event.request)));

async function handle(request) {
  // spin-path-info is the path below the route `/notes/...`: `/greeting` for `/notes/greeting`.
  const key = decodeURIComponent(request.headers.get('spin-path-info').slice(1));
  if (!key) return new Response('Name a note: /notes/<name>\n', { status: 400 });
  switch (request.method) {
    case 'PUT':
      notes.set(key, await request.text());
      return new Response(null, { status: 201 });
    case 'GET':
      return notes.has(key) ? new Response(notes.get(key)) : new Response('No such note\n', { status: 404 });
    default:
      return new Response(null, { status: 405 });
  }
}
