import { Hono } from 'hono';

const app = new Hono();

app.get('/', (c) => c.text('Hello from Hono inside Spin!\n'));
app.get('/hello/:name', (c) => c.json({ greeting: `Hello, ${c.req.param('name')}!` }));
app.post('/echo', async (c) => c.json({ received: await c.req.text() }));

// Spin routes every request under `/...` here; Hono routes it further.
addEventListener('fetch', (event) => event.respondWith(app.fetch(event.request)));
