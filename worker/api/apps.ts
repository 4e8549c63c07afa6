/**
 * `/api/apps`: publish an app archive (POST), fetch one back (GET `/<digest>`). Publishing checks
 * the archive and prepares every component before storing it, so what is stored runs.
 */
import { Hono } from 'hono';
import { TwirlError } from '../../shared/errors.ts';
import type { PlatformEnv } from '../env.ts';
import { readArchive } from '../published/archive.ts';
import { getArchive, hasArchive, putArchive } from '../published/app-store.ts';
import { sha256Hex } from '../../shared/digest.ts';
import { preparedApp } from '../published/run-copy.ts';
import { limitsOf } from '../published/limits.ts';
import { publishedAppUrl } from '../hosts.ts';
import { readCappedBody } from './read-body.ts';

export const appsApi = new Hono<{ Bindings: PlatformEnv }>();

appsApi.post('/', async (c) => {
  const limits = limitsOf(c.env);
  const bytes = await readCappedBody(c.req.raw, limits.maxArchiveBytes);
  const digest = await sha256Hex(bytes);
  checkContentDigest(c.req.header('content-digest'), digest);
  const url = publishedAppUrl(c.req.url, digest, c.env.TWIRL_DOMAIN || undefined);
  const stored = await hasArchive(c.env, digest);
  const archive = await readArchive(bytes, limits.archive);
  // Also for an archive already stored: publishing again makes anew what is missing or damaged.
  await preparedApp(c.env, digest, archive, { repair: true });
  if (stored) return c.json({ digest, url }, 200);
  await putArchive(c.env, digest, bytes);
  return c.json({ digest, url }, 201);
});

appsApi.get('/:digest{[0-9a-f]{64}}', async (c) => {
  const digest = c.req.param('digest');
  const bytes = await getArchive(c.env, digest);
  if (!bytes) throw new TwirlError('app-not-found', `no app is published with digest ${digest}`);
  return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
    'content-type': 'application/zip',
    'cache-control': 'public, max-age=31536000, immutable',
    etag: `"${digest}"`,
  });
});

/** RFC 9530 `Content-Digest: sha-256=:<base64>:`; when given, it must be the body's digest. */
function checkContentDigest(header: string | undefined, digest: string): void {
  if (!header) return;
  const match = /(?:^|,)\s*sha-256=:([A-Za-z0-9+/=]+):/.exec(header);
  if (!match) throw new TwirlError('bad-digest-header', 'Content-Digest must carry a sha-256 digest: sha-256=:<base64>:');
  const given = Array.from(atob(match[1]!), (ch) => ch.charCodeAt(0).toString(16).padStart(2, '0')).join('');
  if (given !== digest) throw new TwirlError('digest-mismatch', `the archive's sha-256 is ${digest}, but Content-Digest says ${given || 'nothing'}: it was changed or cut short on the way`);
}
