/**
 * A response past `maxResponseBytes`, buffered or streamed, fails where the client can see it
 * (500, or a transfer that errors), never as a clean shorter body; and the log says which limit
 * it hit.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { templateEngine, type TemplateEngine } from '../../support/template-engine.ts';
import { defaultLimits } from '../../../shared/limits.ts';

const MIB = 1024 * 1024;
// A small limit to keep the test light; the paths are those of the 100 MiB default.
const limits = { ...defaultLimits, maxResponseBytes: 4 * MIB };

let app: TemplateEngine;
before(async () => {
  app = await templateEngine('fixtures/apps/hostile', { limits });
});

/** The status, how many body bytes arrived, and whether the body ended in an error. */
async function receive(path: string): Promise<{ status: number; bytes: number; failed: boolean }> {
  const res = await app.request(path);
  let bytes = 0;
  try {
    const reader = res.body!.getReader();
    for (let r = await reader.read(); !r.done; r = await reader.read()) bytes += r.value.length;
    return { status: res.status, bytes, failed: false };
  } catch {
    return { status: res.status, bytes, failed: true };
  }
}

/** Waits for a log line containing `text` after the first `from` lines: the request's end is logged once the component's call ends. */
async function waitForLog(from: number, text: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!app.logs.slice(from).some((l) => l.line.includes(text))) {
    if (Date.now() > deadline) assert.fail(`no log line with "${text}" in:\n${app.logs.slice(from).map((l) => l.line).join('\n')}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const failedVisibly = (r: { status: number; failed: boolean }): boolean => r.status === 500 || r.failed;

for (const path of ['/big-buffered?mb=8', '/big-stream?mb=8']) {
  test(`${path} past a 4 MiB limit fails visibly, logs the limit, and the next request works`, async () => {
    const logged = app.logs.length;
    const r = await receive(path);
    assert.ok(failedVisibly(r), `status ${r.status}, ${r.bytes} bytes, ended cleanly`);
    assert.ok(r.bytes <= limits.maxResponseBytes, `${r.bytes} bytes went out`);
    await waitForLog(logged, `larger than the limit of ${limits.maxResponseBytes} bytes (maxResponseBytes)`);
    assert.equal((await receive('/ok')).status, 200);
  });
}

test('a response within the limit arrives whole', async () => {
  assert.deepEqual(await receive('/big-stream?mb=3'), { status: 200, bytes: 3 * MIB, failed: false });
  assert.deepEqual(await receive('/big-buffered?mb=3'), { status: 200, bytes: 3 * MIB, failed: false });
});
