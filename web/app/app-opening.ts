/** Where the app to open comes from at start: a share link, the last one open, or a fresh template. */
import type { StoredApp } from '../app-model.ts';
import { listApps, newAppId, readApp, saveApp } from '../app-store.ts';
import { fetchPublished, readHash } from '../share.ts';
import { appFromEntries, entriesOfZip } from './app-import.ts';
import { appFromTemplate } from './templates.ts';

const CURRENT_KEY = 'twirl.current-app';
export const DEFAULT_TEMPLATE = 'http-js';
/** Where published apps live: the edge worker's origin, or this one. */
export const API_ORIGIN = (import.meta.env['VITE_TWIRL_API'] as string | undefined) ?? '';

export const rememberCurrent = (id: string): void => localStorage.setItem(CURRENT_KEY, id);

/** An app from the URL's fragment (`#s=…` or `#a=<digest>`), stored under a new id; undefined without one. */
export async function appFromShareLink(hash: string): Promise<StoredApp | undefined> {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const inline = params.get('s');
  const published = params.get('a');
  let app: StoredApp | undefined;
  if (inline) {
    const shared = readHash(inline);
    app = { id: newAppId(), name: shared.name, files: shared.files, updated: Date.now(), ...(shared.variables ? { variables: shared.variables } : {}) };
  } else if (published) {
    app = await appFromEntries('shared-app', await entriesOfZip(await fetchPublished(published, API_ORIGIN)));
  }
  if (app) await saveApp(app);
  return app;
}

/** The app open last time, else the newest, else a new one from the default template. */
export async function appToResume(): Promise<StoredApp> {
  const last = localStorage.getItem(CURRENT_KEY);
  const resumed = (last && (await readApp(last))) || (await listApps())[0];
  if (resumed) return resumed;
  const app = await appFromTemplate(DEFAULT_TEMPLATE);
  await saveApp(app);
  return app;
}
