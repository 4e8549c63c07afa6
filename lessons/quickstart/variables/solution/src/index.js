import { get } from 'fermyon:spin/variables@2.0.0';

addEventListener('fetch', (event) => event.respondWith(handle(event.request)));

async function handle(request) {
  const { pathname } = new URL(request.url);
  if (pathname === '/admin') {
    if (request.headers.get('authorization') !== `Bearer ${get('token')}`) {
      return new Response('Who are you?\n', { status: 401 });
    }
    return new Response('Welcome, admin!\n');
  }
  return new Response(`${get('greeting')}, Spin!\n`);
}
