/**
 * `twirl up -f <digest>`: a published app, fetched from the edge worker's API by its sha256,
 * checked against that digest and unpacked under `.twirl/apps/<digest>/`.
 */
import { createHash } from 'node:crypto';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { readZipEntries } from '../shared/archive/zip-entries.ts';
import { appRootEntries } from '../shared/archive/entry-path.ts';
import { TwirlError } from '../shared/errors.ts';
import { CliError } from './output.ts';
import { messageOf } from '../shared/errors.ts';

const digestPattern = /^(?:sha256:)?([0-9a-f]{64})$/;

/** The hex digest when `from` names a published app rather than a path. */
export function publishedDigest(from: string | undefined): string | undefined {
  return from === undefined ? undefined : digestPattern.exec(from)?.[1];
}

/** Where the API lives: `--api`, else `TWIRL_API`, else the local platform `twirl start` prints. */
export function apiOrigin(flag: string | undefined): string {
  const origin = flag ?? process.env['TWIRL_API'];
  if (!origin) throw new CliError('running a published app needs the API it was published to: pass --api <url> or set TWIRL_API', 'no-api');
  return origin.replace(/\/+$/, '');
}

/** Downloads and unpacks the app once; returns the folder holding its spin.toml. */
export async function fetchPublishedApp(digest: string, api: string, into = resolve('.twirl', 'apps')): Promise<string> {
  const dir = join(into, digest);
  if (!(await stat(join(dir, '.complete')).catch(() => undefined))) {
    const url = `${api}/api/apps/${digest}`;
    const response = await fetch(url).catch((err: unknown) => {
      throw new CliError(`cannot reach ${api}: ${messageOf(err)}`, 'api-unreachable');
    });
    if (response.status === 404) throw new CliError(`no app with digest ${digest} at ${api}`, 'unknown-digest');
    if (!response.ok) throw new CliError(`${url} answered ${response.status}`, 'api-error');
    const archive = new Uint8Array(await response.arrayBuffer());
    const actual = createHash('sha256').update(archive).digest('hex');
    if (actual !== digest) throw new CliError(`the archive from ${api} has digest ${actual}, not ${digest}; refusing it`, 'digest-mismatch');
    await unpack(archive, dir);
  }
  if (!(await stat(join(dir, 'spin.toml')).catch(() => undefined))) throw new CliError('the published archive has no spin.toml', 'bad-archive');
  return dir;
}

/** Unpacked with the platform's own reader and limits, its spin.toml at the top of `dir`. */
async function unpack(archive: Uint8Array, dir: string): Promise<void> {
  let files: Map<string, Uint8Array>;
  try {
    files = appRootEntries(await readZipEntries(archive));
  } catch (err) {
    if (err instanceof TwirlError) throw new CliError(`the published archive cannot be used: ${err.message}`, 'bad-archive');
    throw err;
  }
  const staging = `${dir}.${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  for (const [name, bytes] of files) {
    const target = resolve(staging, name);
    if (!target.startsWith(staging + '/')) throw new CliError(`the published archive has a path outside the app: ${name}`, 'bad-archive');
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, bytes);
  }
  await writeFile(join(staging, '.complete'), '');
  await rm(dir, { recursive: true, force: true });
  await rename(staging, dir);
}
