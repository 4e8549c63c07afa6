import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync } from 'fflate';
import { publish, removeState, sha256Hex, startWorker, templateFiles, text, zip, type RunningWorker } from './support/platform.ts';
import { craftZip, deflatedZeros } from '../../bench/crafted-zip.ts';

const platform = await startWorker();
after(() => removeState(platform));
const files = await templateFiles('http-js');
const archive = zip(files);

interface ErrorBody {
  error: { code: string; message: string; diagnostics?: Array<{ code: string; line?: number }> };
}

async function refused(res: Response, status: number, code: string): Promise<ErrorBody['error']> {
  assert.equal(res.status, status);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  const { error } = (await res.json()) as ErrorBody;
  assert.equal(error.code, code, error.message);
  assert.ok(error.message.length > 0);
  return error;
}

/** Nothing refused is stored: its digest finds no app. */
async function notStored(worker: RunningWorker, bytes: Uint8Array): Promise<void> {
  assert.equal((await fetch(worker.at(`/api/apps/${sha256Hex(bytes)}`))).status, 404);
}

const contentDigest = (bytes: Uint8Array): string => `sha-256=:${Buffer.from(sha256Hex(bytes), 'hex').toString('base64')}:`;

test('an archive whose Content-Digest does not match its bytes is refused', async () => {
  const tampered = archive.slice();
  tampered[tampered.length - 100]! ^= 0xff;
  const error = await refused(await publish(platform, tampered, { 'content-digest': contentDigest(archive) }), 422, 'digest-mismatch');
  assert.match(error.message, new RegExp(sha256Hex(tampered)));
  await notStored(platform, tampered);
});

test('a matching Content-Digest is accepted', async () => {
  assert.equal((await publish(platform, archive, { 'content-digest': contentDigest(archive) })).status, 201);
});

test('a Content-Digest without a sha-256 digest is refused', async () => {
  await refused(await publish(platform, archive, { 'content-digest': 'md5=:AAAA:' }), 400, 'bad-digest-header');
});

test('a component that is neither a WebAssembly component nor a Spin 1.x module is refused, naming it', async () => {
  const notWasm = new TextEncoder().encode('#!/bin/sh\necho hi\n');
  const bad = zip({ ...files, 'dist/hello.wasm': notWasm });
  const error = await refused(await publish(platform, bad), 400, 'not-a-component');
  assert.match(error.message, /component hello: dist\/hello\.wasm is neither a WebAssembly component .* nor a Spin 1\.x module/);
  await notStored(platform, bad);
});

test('a manifest with errors is refused with its diagnostics', async () => {
  const bad = zip({ ...files, 'spin.toml': text('spin_manifest_version = 3\n[application]\nname = "x"\n') });
  const error = await refused(await publish(platform, bad), 400, 'unknown-version');
  assert.deepEqual(error.diagnostics?.map((d) => [d.code, d.line]), [['unknown-version', 1]]);
  assert.match(error.message, /spin\.toml:1/);
  await notStored(platform, bad);
});

test('an archive without spin.toml, or missing a component, is refused', async () => {
  const { 'spin.toml': _manifest, ...noManifest } = files;
  await refused(await publish(platform, zip(noManifest)), 400, 'missing-manifest');
  const { 'dist/hello.wasm': _component, ...noComponent } = files;
  const error = await refused(await publish(platform, zip(noComponent)), 400, 'missing-component');
  assert.match(error.message, /dist\/hello\.wasm is not in the archive/);
});

test('bytes that are not a zip are refused', async () => {
  await refused(await publish(platform, text('definitely not a zip file')), 400, 'not-a-zip');
});

test('an archive over 25 MB is refused before it is read, and the error says the limit', async () => {
  const oversized = new Uint8Array(25 * 1024 * 1024 + 1);
  // The worker answers from the length alone, before the upload ends: the client sees the 413 or,
  // racing it, the connection cut while it is still sending.
  const res = await publish(platform, oversized).catch((err: unknown) => err);
  if (!(res instanceof Response)) return assert.match(String((res as Error).cause ?? res), /socket|closed|reset|EPIPE/i);
  const error = await refused(res, 413, 'archive-too-large');
  assert.match(error.message, /25 MB/);
});

test('an oversized archive sent without a length is cut off at the limit', async () => {
  const chunk = new Uint8Array(1024 * 1024);
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent++ < 30) controller.enqueue(chunk);
      else controller.close();
    },
  });
  // The worker answers before the upload ends; the client sees the 413 or, racing it, the connection cut.
  const res = await fetch(platform.at('/api/apps'), { method: 'POST', body, duplex: 'half' } as RequestInit).catch((err: unknown) => err);
  if (res instanceof Response) await refused(res, 413, 'archive-too-large');
  else assert.match(String((res as Error).cause ?? res), /socket|closed|reset|EPIPE/i);
});

test('an archive whose headers lie about its sizes is refused at the inflated-byte limit, and nothing is stored', async () => {
  const zeros = deflatedZeros(150);
  const lying = craftZip([
    { name: 'spin.toml', deflated: deflateSync(files['spin.toml']!), declaredSize: 100 },
    { name: 'a.bin', deflated: zeros, declaredSize: 100 },
    { name: 'b.bin', deflated: zeros, declaredSize: 100 },
  ]);
  const error = await refused(await publish(platform, lying), 413, 'archive-too-large');
  assert.match(error.message, /more than 100 MB/);
  await notStored(platform, lying);
});

test('an honest zip bomb is refused', async () => {
  const bomb = craftZip([{ name: 'a.bin', deflated: deflatedZeros(200), declaredSize: 200 * 1024 * 1024 }]);
  await refused(await publish(platform, bomb), 413, 'archive-too-large');
});

for (const mount of ['[{ source = "..", destination = "/" }]', '["../*"]']) {
  test(`a manifest twirl up would refuse (files = ${mount}) is refused before it is stored, naming the field`, async () => {
    const manifest = new TextDecoder().decode(files['spin.toml']).replace(/(\[component\.[^\]]+\]\n)/, `$1files = ${mount}\n`);
    const bad = zip({ ...files, 'spin.toml': text(manifest) });
    const error = await refused(await publish(platform, bad), 400, 'invalid-file-mount');
    assert.match(error.message, /component\.\w+\.files/);
    await notStored(platform, bad);
  });
}
