import { Store } from 'fermyon:spin/key-value@2.0.0';

addEventListener('fetch', (event) => event.respondWith(handle(event.request)));

async function handle(request) {
  // spin-path-info is the path below the route `/notes/...`: `/greeting` for `/notes/greeting`.
  const key = decodeURIComponent(request.headers.get('spin-path-info').slice(1));
  if (!key) return new Response('Name a note: /notes/<name>\n', { status: 400 });
  const notes = Store.open('default');
  switch (request.method) {
    case 'PUT':
      notes.set(key, new Uint8Array(await request.arrayBuffer()));
      return new Response(null, { status: 201 });
    case 'GET': {
      const note = notes.get(key);
      return note ? new Response(note) : new Response('No such note\n', { status: 404 });
    }
    default:
      return new Response(null, { status: 405 });
  }
}
