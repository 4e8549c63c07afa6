/**
 * Two real upstreams on loopback: `entry` redirects wherever `?to=` says (with `?status=`), and
 * `elsewhere` counts every request that reaches it — a component granted only `entry` must never
 * make that count grow.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RedirectingServers {
  entry: string;
  elsewhere: string;
  elsewhereHits: () => number;
  close(): Promise<void>;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export async function redirectingServers(): Promise<RedirectingServers> {
  let hits = 0;
  const elsewhere = createServer((_req, res) => {
    hits++;
    res.end('elsewhere reached');
  });
  const entry = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://entry');
    res.statusCode = Number(url.searchParams.get('status') ?? 302);
    res.setHeader('location', url.searchParams.get('to') ?? '/');
    res.end();
  });
  const [entryUrl, elsewhereUrl] = await Promise.all([listen(entry), listen(elsewhere)]);
  return {
    entry: entryUrl,
    elsewhere: elsewhereUrl,
    elsewhereHits: () => hits,
    close: async () => {
      entry.closeAllConnections();
      elsewhere.closeAllConnections();
      await Promise.all([new Promise((r) => entry.close(r)), new Promise((r) => elsewhere.close(r))]);
    },
  };
}

/** Targets a redirect from `entry` may name that the component was never granted. */
export function redirectTargets(servers: RedirectingServers): string[] {
  const port = new URL(servers.elsewhere).port;
  return [servers.elsewhere, `http://[::1]:${port}/`, `http://localhost:${port}/`];
}
