addEventListener('fetch', (event) => event.respondWith(handle(event.request)));

async function handle(request) {
  const { pathname } = new URL(request.url);
  if (pathname === '/quote') {
    return Response.json({ quote: 'The most dangerous phrase in the language is: we have always done it this way.', author: 'Grace Hopper' });
  }
  let upstream;
  try {
    // `self.alt` is this app; spin.toml must allow it like any other host.
    upstream = await fetch('http://self.alt/quote');
  } catch (err) {
    return new Response(`Could not fetch the quote: ${err?.message ?? err}\n`, { status: 502 });
  }
  const { quote, author } = await upstream.json();
  return new Response(`Quote of the day: "${quote}" (${author})\n`);
}
