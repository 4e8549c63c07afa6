import { Store } from 'fermyon:spin/key-value@2.0.0';

const COUNTER_KEY = 'n';
const encoder = new TextEncoder();
const decoder = new TextDecoder();

addEventListener('fetch', (event) => event.respondWith(handle(event.request)));

async function handle(request) {
  const store = Store.open('default');
  const { pathname } = new URL(request.url);
  if (pathname === '/kv' || pathname === '/kv/') return Response.json(store.getKeys());
  if (pathname.startsWith('/kv/')) return keyValue(store, request, decodeURIComponent(pathname.slice(4)));
  return new Response(`${increment(store)}\n`, { headers: { 'content-type': 'text/plain' } });
}

/** Adds one to the counter and returns the new count. */
function increment(store) {
  const current = store.get(COUNTER_KEY);
  const count = (current ? Number(decoder.decode(current)) : 0) + 1;
  store.set(COUNTER_KEY, encoder.encode(String(count)));
  return count;
}

async function keyValue(store, request, key) {
  switch (request.method) {
    case 'GET': {
      const value = store.get(key);
      return value === undefined ? new Response(null, { status: 404 }) : new Response(value);
    }
    case 'PUT':
    case 'POST':
      store.set(key, new Uint8Array(await request.arrayBuffer()));
      return new Response(null, { status: 201 });
    case 'DELETE':
      store.delete(key);
      return new Response(null, { status: 204 });
    default:
      return new Response(null, { status: 405, headers: { allow: 'GET, PUT, POST, DELETE' } });
  }
}
