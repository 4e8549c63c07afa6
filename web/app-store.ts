/** The user's apps in IndexedDB, shared by the page and the service worker. */
import { createStore, del, get, set, values, type UseStore } from 'idb-keyval';
import type { StoredApp } from './app-model.ts';

let db: UseStore | undefined;
const apps = (): UseStore => (db ??= createStore('twirl-apps', 'apps'));

export const readApp = (id: string): Promise<StoredApp | undefined> => get<StoredApp>(id, apps());
export const saveApp = (app: StoredApp): Promise<void> => set(app.id, app, apps());
export const deleteApp = (id: string): Promise<void> => del(id, apps());

/** Most recently changed first. */
export async function listApps(): Promise<StoredApp[]> {
  return (await values<StoredApp>(apps())).sort((a, b) => b.updated - a.updated);
}

/** Short, URL-safe and unguessable enough to keep two apps' data apart. */
export function newAppId(): string {
  return crypto.randomUUID().replaceAll('-', '').slice(0, 16);
}
