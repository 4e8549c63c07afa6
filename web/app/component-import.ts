/**
 * A `.wasm` the user brings (upload, zip, folder or published link) becomes a component
 * reference: a template's component is recognised by digest; any other is transpiled in the
 * build worker with jco and kept in IndexedDB.
 */
import type { ComponentRef, PreparedIndex } from '../app-model.ts';
import { isSnapshot, saveComponent, type StoredComponent } from '../component-store.ts';
import { sha256Hex } from '../../shared/digest.ts';
import { isComponent, isCoreModule } from '../../shared/wasm/bytes.ts';
import { builderId, transpileInWorker } from '../build/component-builder.ts';

/** A component, or a Spin 1.x core module (which runs like one). */
export const runsAsComponent = (bytes: Uint8Array): boolean => isComponent(bytes) || isCoreModule(bytes);

export async function importComponent(bytes: Uint8Array): Promise<ComponentRef> {
  const digest = await sha256Hex(bytes);
  const known = await knownComponent(digest);
  if (known) return known;
  // A copy goes to the worker: `bytes` are kept with the component, for publishing.
  const prepared = await transpileInWorker(bytes);
  await saveComponent(digest, { kind: prepared.kind, glue: prepared.glue, syncGlue: prepared.syncGlue, modules: prepared.modules, bytes, preparedBy: builderId });
  return { digest, kind: prepared.kind };
}

/**
 * A stored component as this release of the playground runs it: one whose glue and modules an
 * earlier release prepared (the host's side of them may have changed since: metering, resets,
 * the glue's rewrites) is prepared again from its bytes, and kept so.
 */
export async function preparedByThisRelease(digest: string, stored: StoredComponent): Promise<StoredComponent> {
  if (isSnapshot(stored) || !preparedByEarlierRelease(stored)) return stored;
  const prepared = await transpileInWorker(stored.bytes);
  const current = { ...stored, kind: prepared.kind, glue: prepared.glue, syncGlue: prepared.syncGlue, modules: prepared.modules, preparedBy: builderId };
  await saveComponent(digest, current);
  return current;
}

/** Whether `preparedByThisRelease` has to prepare `stored` again (seconds for a JS component). */
export const preparedByEarlierRelease = (stored: StoredComponent): boolean => !isSnapshot(stored) && stored.preparedBy !== builderId;

/** A component the playground ships prepared (a template's), by digest. */
async function knownComponent(digest: string): Promise<ComponentRef | undefined> {
  const url = `__twirl/components/${digest}/`;
  const response = await fetch(`${import.meta.env.BASE_URL}${url}prepared.json`).catch(() => undefined);
  if (!response?.ok || !response.headers.get('content-type')?.includes('json')) return undefined;
  const index = (await response.json()) as PreparedIndex;
  return { digest, kind: index.kind, url };
}
