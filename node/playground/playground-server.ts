/**
 * The playground as users get it: `vite build` (templates prepared by the plugin) into a temp
 * folder, served by `vite preview` on 127.0.0.1. Pages are opened at `twirl.localhost`, whose
 * subdomains (the apps' preview origins) Chromium resolves to this machine.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build, preview, type PreviewServer } from 'vite';

const configFile = resolve(import.meta.dirname, '../../vite.config.ts');
/** The templates the browser tests open; preparing only these keeps a clean clone's first run short. */
const TEMPLATES = 'http-js,kv-counter,outbound-http';

export interface Playground {
  /** `http://twirl.localhost:<port>/` */
  url: string;
  close(): Promise<void>;
}

export async function startPlayground(): Promise<Playground> {
  const outDir = await mkdtemp(join(tmpdir(), 'twirl-playground-'));
  process.env['TWIRL_PLAYGROUND_PREPARED'] ??= '.cache/playground-e2e';
  process.env['TWIRL_PLAYGROUND_TEMPLATES'] ??= TEMPLATES;
  // Lessons build their start apps: only the tests that open a lesson ship one.
  process.env['TWIRL_PLAYGROUND_LESSONS'] ??= '';
  await build({ configFile, logLevel: 'error', build: { outDir, emptyOutDir: true } });
  const server: PreviewServer = await preview({ configFile, logLevel: 'error', build: { outDir }, preview: { host: '127.0.0.1', port: 0, strictPort: false } });
  const local = server.resolvedUrls?.local[0];
  if (!local) throw new Error('vite preview did not report its URL');
  const url = new URL(local);
  url.hostname = 'twirl.localhost';
  return {
    url: url.href,
    async close() {
      await server.close();
      await rm(outDir, { recursive: true, force: true });
    },
  };
}
