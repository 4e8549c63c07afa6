/**
 * Route matching cost at 1, 100 and 1,000 routes: a mix of exact, wildcard and `:param` routes,
 * matched against paths that hit and paths that miss. Run directly to print a table.
 */
import { compileRoutes, type RoutableTrigger } from '../shared/routing/router.ts';

export interface RouterBenchRow {
  name: string;
  routes: number;
  nsPerMatch: number;
}

const ROUTE_COUNTS = [1, 100, 1000];
const MATCHES_PER_ROW = 300_000;

/** Route i is exact, wildcard, single-param or multi-param, in turn. */
function routeFor(i: number): string {
  switch (i % 4) {
    case 0:
      return `/svc${i}/items`;
    case 1:
      return `/svc${i}/...`;
    case 2:
      return `/svc${i}/users/:id`;
    default:
      return `/api/v${i}/:org/repos/:repo/...`;
  }
}

function pathsThatHit(count: number): string[] {
  return Array.from({ length: 64 }, (_, k) => {
    const i = (k * 7919) % count;
    switch (i % 4) {
      case 0:
        return `/svc${i}/items`;
      case 1:
        return `/svc${i}/deep/er/path/`;
      case 2:
        return `/svc${i}/users/${k}`;
      default:
        return `/api/v${i}/acme/repos/twirl/tree/main/src`;
    }
  });
}

function pathsThatMiss(count: number): string[] {
  return Array.from({ length: 64 }, (_, k) => {
    const i = (k * 7919) % count;
    return k % 2 === 0 ? `/svc${i}/nothing/here` : `/missing${k}/svc${i}`;
  });
}

function measure(match: (path: string) => unknown, paths: readonly string[]): number {
  let sink = 0;
  for (let n = 0; n < 20_000; n++) if (match(paths[n % paths.length]!)) sink++; // warm up the JIT
  const start = performance.now();
  for (let n = 0; n < MATCHES_PER_ROW; n++) if (match(paths[n % paths.length]!)) sink++;
  const elapsedMs = performance.now() - start;
  if (sink < 0) console.log(sink); // keeps the loop observable
  return Math.round((elapsedMs * 1e6) / MATCHES_PER_ROW);
}

export async function benchRouter(): Promise<RouterBenchRow[]> {
  const rows: RouterBenchRow[] = [];
  for (const count of ROUTE_COUNTS) {
    const triggers: RoutableTrigger[] = Array.from({ length: count }, (_, i) => ({ route: { path: routeFor(i) } }));
    const { router } = compileRoutes(triggers);
    const hits = pathsThatHit(count);
    if (!hits.every((p) => router.match(p))) throw new Error(`bench paths should all match ${count} routes`);
    rows.push({ name: 'router.match (hit)', routes: count, nsPerMatch: measure((p) => router.match(p), hits) });
    rows.push({ name: 'router.match (miss)', routes: count, nsPerMatch: measure((p) => router.match(p), pathsThatMiss(count)) });
  }
  return rows;
}

if (import.meta.main) console.table(await benchRouter());
