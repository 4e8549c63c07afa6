/**
 * "Open in playground": the embed's app as the reader left it travels to the playground in a
 * share link's fragment (`#s=`), opened in a new tab; the playground builds edited sources again.
 */
import type { StoredApp } from '../app-model.ts';
import { hashOf } from '../share.ts';

/** Opens `app` in the playground at `playground` (its base URL); throws when the app is too large for a link. */
export async function openInPlayground(app: StoredApp, playground: URL): Promise<Window | null> {
  const hash = hashOf(app);
  if (!hash) throw new Error('this example has grown too large to open by link: copy its files into the playground instead');
  return window.open(new URL(`#${hash}`, playground).href, '_blank', 'noopener');
}
