import { get } from 'fermyon:spin/variables@2.0.0';

addEventListener('fetch', (event) => event.respondWith(handle()));

function handle() {
  const greeting = get('greeting');
  const name = get('name');
  const message = get('message');
  // A secret is readable by its component like any variable; it is only kept out of logs.
  const token = get('token');
  return Response.json({ greeting, name, message, token });
}
