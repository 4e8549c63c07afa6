/**
 * The component bytes of a snapshot built in this browser, for publishing and downloading: the
 * snapshot written into a component of its world (the one the playground names in
 * `world.json`), as a full build of the same source would have given.
 */
import { componentWithState } from '../shared/build/snapshot-component.ts';
import { decodeSnapshot } from '../shared/component/snapshot-codec.ts';
import { snapshotPageBytes } from '../shared/component/engine-snapshot.ts';
import { BASE_PAGES, type PreparedWorld } from './app-model.ts';
import type { SnapshotComponent } from './component-store.ts';

export async function componentOfSnapshot(stored: SnapshotComponent, base: string | URL): Promise<Uint8Array> {
  const folder = new URL(stored.snapshotOf.world, base);
  const world = (await fetchOk(new URL('world.json', folder)).then((r) => r.json())) as PreparedWorld;
  const reference = new Uint8Array(await (await fetchOk(new URL(world.reference, base))).arrayBuffer());
  if (world.base !== stored.snapshotOf.base) throw new Error('this component was built on another release of the playground: edit and run it to build it again');
  const basePages = new Uint8Array(await (await fetchOk(new URL(BASE_PAGES, folder))).arrayBuffer());
  const snapshot = decodeSnapshot(stored.snapshot, [basePages, stored.pages]);
  const memory = new Uint8Array(snapshot.memoryPages * 65536);
  for (const [page, bytes] of snapshot.pages) memory.set(bytes, page * snapshotPageBytes);
  // The fuel global preparation adds is among them; the component's module has no such global and takes none.
  const globals = new Map(snapshot.globals.map((g) => [g.index, g.value]));
  return componentWithState(reference, { memory, globals });
}

async function fetchOk(url: URL): Promise<Response> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`fetching ${url.pathname} failed: ${response.status}`);
  return response;
}
