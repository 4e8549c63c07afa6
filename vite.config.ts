/**
 * The playground (web/): pages, the preview bridge (`__twirl/frame.html`), the service worker
 * (`sw.js`) and the embed script (`embed.js`). Everything but `sw.js`, `embed.js` and the pages
 * lives under `__twirl/`, which a preview's service worker leaves to the network.
 */
import { resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import { playgroundTemplates } from './web/vite-templates-plugin.ts';

const root = resolve(import.meta.dirname, 'web');
const modules = resolve(import.meta.dirname, 'node_modules');
/**
 * Prepared templates and components, generated; vite serves and copies it as the public folder.
 * The browser tests prepare only the templates they use (TWIRL_PLAYGROUND_TEMPLATES) into a folder of their own.
 */
const prepared = resolve(import.meta.dirname, process.env['TWIRL_PLAYGROUND_PREPARED'] ?? '.cache/playground');

/** Previews need subdomains, which an IP address lacks: point people at twirl.localhost. */
const announce: Plugin = {
  name: 'twirl-playground-url',
  configureServer(server) {
    server.httpServer?.once('listening', () => {
      const address = server.httpServer?.address();
      if (address && typeof address === 'object') server.config.logger.info(`\n  Twirl playground: http://twirl.localhost:${address.port}/\n`);
    });
  },
};

/** The service worker and the embed script keep fixed names: pages and docs refer to them. */
const fixedNames = new Set(['sw', 'embed']);

export default defineConfig({
  root,
  publicDir: prepared,
  // No SPA fallback: a missing file is a 404, never the playground's page (component lookups rely on it).
  appType: 'mpa',
  plugins: [playgroundTemplates(prepared), announce],
  server: { host: '127.0.0.1', port: 5173 },
  preview: { host: '127.0.0.1' },
  resolve: {
    // The in-browser build's toolchain files, which the packages' `exports` do not list
    // (componentize-js's engine and splicer, jco's WASI adapter and WIT).
    alias: [
      { find: /^componentize-js-files\//, replacement: `${modules}/@bytecodealliance/componentize-js/` },
      { find: /^jco-files\//, replacement: `${modules}/@bytecodealliance/jco/` },
    ],
  },
  optimizeDeps: {
    // jco's transpiler finds its core wasm by `new URL(..., import.meta.url)`: keep it unbundled in dev.
    exclude: ['@bytecodealliance/jco-transpile', 'esbuild-wasm'],
    // The build worker's splicer, prepared when dev starts: found on first build, it would reload the page.
    include: ['componentize-js-files/lib/spidermonkey-embedding-splicer.js'],
  },
  // The build worker (web/build/) awaits at its top level and imports lazily: an ES module worker.
  worker: { format: 'es' },
  build: {
    outDir: resolve(import.meta.dirname, 'dist/web'),
    emptyOutDir: true,
    assetsDir: '__twirl/assets',
    target: 'es2023',
    rollupOptions: {
      input: {
        main: resolve(root, 'index.html'),
        docs: resolve(root, 'docs.html'),
        'embed-docs': resolve(root, 'embed.html'),
        frame: resolve(root, '__twirl/frame.html'),
        sw: resolve(root, 'sw.ts'),
        embed: resolve(root, 'embed.ts'),
      },
      output: {
        entryFileNames: (chunk) => (fixedNames.has(chunk.name) ? '[name].js' : '__twirl/assets/[name]-[hash].js'),
      },
    },
  },
});
