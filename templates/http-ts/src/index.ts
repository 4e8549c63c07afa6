// The componentize-js runtime dispatches each request to this `fetch` listener.
interface FetchEvent {
  readonly request: Request;
  respondWith(response: Response | Promise<Response>): void;
}
declare function addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;

addEventListener('fetch', (event) => event.respondWith(handle(event.request)));

async function handle(request: Request): Promise<Response> {
  const { pathname } = new URL(request.url);
  const body: string = `Hello, Fermyon!\nmethod: ${request.method}\npath: ${pathname}\n`;
  return new Response(body, { status: 200, headers: { 'content-type': 'text/plain' } });
}
