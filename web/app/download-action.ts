/** The Download button: the app as a zip — the archive `twirl up -f` and the publish API take. */
import { appArchive } from '../share.ts';
import type { TwirlApp } from './twirl-app.ts';
import { messageOf } from '../../shared/errors.ts';

export async function downloadCurrent(host: TwirlApp): Promise<void> {
  const session = host.session;
  if (!session) return;
  try {
    await session.save();
    const archive = await appArchive(session.app, location.origin);
    const url = URL.createObjectURL(new Blob([archive as BlobPart], { type: 'application/zip' }));
    const link = Object.assign(document.createElement('a'), { href: url, download: `${fileName(session.app.name)}.zip` });
    // In the document while clicked: a detached link's download is not started by every browser.
    document.body.append(link);
    link.click();
    link.remove();
    // The download has its own copy once started; the next task is late enough to let go of ours.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  } catch (err) {
    host.say('', `Could not download the app: ${messageOf(err)}`);
  }
}

/** The app's name, safe as a file name on any system. */
const fileName = (name: string): string => name.replace(/[^\w.-]+/g, '-').replace(/^[-.]+|-+$/g, '') || 'app';
