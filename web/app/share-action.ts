/** The Share button: a link with the app in it, or to the app published on the edge worker. */
import { hashOf, publishApp } from '../share.ts';
import { API_ORIGIN } from './app-opening.ts';
import type { TwirlApp } from './twirl-app.ts';
import { messageOf } from '../../shared/errors.ts';

export async function shareCurrent(host: TwirlApp): Promise<void> {
  const session = host.session;
  if (!session) return;
  await session.save();
  const base = `${location.origin}${location.pathname}`;
  const inline = hashOf(session.app);
  if (inline) {
    host.shareLink = `${base}#${inline}`;
    return;
  }
  host.say('Publishing the app (it is too large for a link)…');
  try {
    const digest = await publishApp(session.app, API_ORIGIN, location.origin);
    host.shareLink = `${base}#a=${digest}`;
    host.say('');
  } catch (err) {
    host.say('', `Could not publish the app: ${messageOf(err)}`);
  }
}
