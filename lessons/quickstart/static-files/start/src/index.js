// Reads the files the manifest mounts (`files = [...]`) through WASI's filesystem.
import { getDirectories } from 'wasi:filesystem/preopens@0.2.10';

const CONTENT_TYPES = {
  html: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  json: 'application/json',
  txt: 'text/plain; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
};

addEventListener('fetch', (event) => event.respondWith(handle(event.request)));

async function handle(request) {
  if (request.method !== 'GET' && request.method !== 'HEAD') return new Response(null, { status: 405 });
  // spin-path-info is the path below the route; fall back to the URL's for other hosts.
  const pathInfo = request.headers.get('spin-path-info') ?? new URL(request.url).pathname;
  const segments = decodeURIComponent(pathInfo).split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) return new Response(null, { status: 400 });
  const path = segments.length === 0 ? 'index.html' : segments.join('/');

  const bytes = readFile(path);
  if (!bytes) return new Response(null, { status: 404 });
  const type = CONTENT_TYPES[path.split('.').pop()] ?? 'application/octet-stream';
  return new Response(request.method === 'HEAD' ? null : bytes, { headers: { 'content-type': type } });
}

/** The file's bytes, or undefined when it is missing or not a regular file. */
function readFile(path) {
  const root = getDirectories().find(([, mountedAt]) => mountedAt === '/')?.[0];
  if (!root) return undefined;
  let file;
  try {
    file = root.openAt({ symlinkFollow: false }, path, {}, { read: true });
  } catch {
    return undefined; // no-entry, not-directory, ...
  }
  const stat = file.stat();
  if (stat.type !== 'regular-file') return undefined;
  const chunks = [];
  let offset = 0n;
  for (;;) {
    const [chunk, eof] = file.read(65536n, offset);
    chunks.push(chunk);
    offset += BigInt(chunk.length);
    if (eof || chunk.length === 0) break;
  }
  const out = new Uint8Array(Number(offset));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
