import { get } from 'fermyon:spin/variables@2.0.0';

addEventListener('fetch', (event) => event.respondWith(handle(event.request)));

async function handle(request) {
  // `?url=` wins over the `upstream` variable; the host checks allowed_outbound_hosts.
  const target = new URL(request.url).searchParams.get('url') ?? get('upstream');
  let upstream;
  try {
    upstream = await fetch(target);
  } catch (err) {
    return Response.json({ url: target, error: String(err?.message ?? err) }, { status: 502 });
  }
  return Response.json({ url: target, status: upstream.status, body: await upstream.text() });
}
