/** `/a/<digest>/…`: a published app, run in its own isolate through the Worker Loader. */
import { publishedRuntime } from 'twirl:isolates';
import { TwirlError } from '../../shared/errors.ts';
import type { PlatformEnv } from '../env.ts';
import { readArchive, type AppArchive } from './archive.ts';
import { getArchive, hasArchive } from './app-store.ts';
import { keyValueGateProps, outboundGateProps, publishedCompatibility, publishedModules } from './isolate-code.ts';
import { getRunCopy, preparedApp, preparedComponents } from './run-copy.ts';
import { lazyRetrying } from '../../shared/lazy.ts';
import { getBasePages, getEngine } from './engine-store.ts';
import type { SplitPrepared } from './split-prepared.ts';
import { limitsOf } from './limits.ts';
import type { PublishedProps } from '../isolates/published-entry.ts';

/**
 * `request` goes on as the platform received it: the local front's header, if any, is for the
 * app's isolate (app-host.ts), and the isolate takes `mount` (`/a/<digest>`, or nothing on the
 * app's own origin) off its path: the app sees itself at `/`, as it would deployed (apps read
 * their own URL: Spin passes the full path). A copy of the request here would cost more.
 */
export async function runPublishedApp(env: PlatformEnv, ctx: ExecutionContext, digest: string, request: Request, mount: string): Promise<Response> {
  if (!(await hasArchive(env, digest))) notFound(digest);
  // One isolate per app and runtime build; the loader keeps it warm between requests.
  const stub = env.LOADER.get(`app-${digest}-${publishedRuntime.id}`, () => workerCode(env, ctx, digest));
  const props: PublishedProps = { mount };
  return stub.getEntrypoint(undefined, { props }).fetch(request);
}

async function workerCode(env: PlatformEnv, ctx: ExecutionContext, digest: string): Promise<WorkerLoaderWorkerCode> {
  const { app, files, prepared } = await appToRun(env, digest);
  const engines = new Map<string, ArrayBuffer>();
  const bases = new Map<string, Uint8Array>();
  for (const [id, record] of prepared) {
    for (const { engine, base } of Object.values(record.engines)) {
      if (!engines.has(engine)) engines.set(engine, (await getEngine(env, engine)) ?? missing(id, `its engine ${engine.slice(0, 12)}`));
      if (base && !bases.has(base)) bases.set(base, (await getBasePages(env, base)) ?? missing(id, `the memory pages ${base.slice(0, 12)} its snapshot starts from`));
    }
  }
  return {
    ...publishedCompatibility,
    mainModule: 'index.js',
    modules: await publishedModules({ digest, archive: { app, files }, prepared, engines, bases }),
    // The operator's limits, for every published app; a publisher has no say in them.
    env: {
      KEY_VALUE: ctx.exports.KeyValueGate({ props: keyValueGateProps(digest, app) }),
      ...(env.TWIRL_LIMITS ? { TWIRL_LIMITS: env.TWIRL_LIMITS } : {}),
      ...(env.TWIRL_PEER_SECRET ? { TWIRL_PEER_SECRET: env.TWIRL_PEER_SECRET } : {}),
    },
    globalOutbound: ctx.exports.OutboundGate({ props: outboundGateProps(app) }),
  };
}

/**
 * The app, its files and its components' records, from the app's run copy: the archive is read
 * only if a record must be made again (e.g. by a new transpiler), or for an app published
 * before there were run copies, which then gets one.
 */
async function appToRun(env: PlatformEnv, digest: string): Promise<Pick<AppArchive, 'app' | 'files'> & { prepared: Map<string, SplitPrepared> }> {
  const limits = limitsOf(env).archive;
  const archive = lazyRetrying(async () => readArchive((await getArchive(env, digest)) ?? notFound(digest), limits));
  // The copy outlives an archive deleted to take the app down: the archive must still be there.
  if (!(await hasArchive(env, digest, true))) notFound(digest);
  const copy = await getRunCopy(env, digest, limits);
  if (copy) {
    const prepared = await preparedComponents(env, copy.components, async (id) => (await archive()).components.get(id)!);
    return { app: copy.app, files: copy.files, prepared };
  }
  const whole = await archive();
  return { app: whole.app, files: whole.files, prepared: await preparedApp(env, digest, whole) };
}

function notFound(digest: string): never {
  throw new TwirlError('app-not-found', `no app is published with digest ${digest}`);
}

function missing(componentId: string, what: string): never {
  throw new TwirlError('engine-missing', `component ${componentId}: ${what} is no longer stored; publish the app again`);
}
