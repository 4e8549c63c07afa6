/**
 * `twirl up` killed without a chance to clean up (SIGKILL) or hung up (SIGHUP) leaves no workerd
 * behind: its port is freed and the next `twirl up` on the same address starts.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { tempDir, twirlServing } from './run-twirl.ts';

const MANIFEST = `spin_manifest_version = 2

[application]
name = "static"

[[trigger.http]]
route = "/..."
static_response = { status_code = 200, body = "still here" }
`;

let work: Awaited<ReturnType<typeof tempDir>>;
before(async () => {
  work = await tempDir();
  await writeFile(join(work.dir, 'spin.toml'), MANIFEST);
});
after(() => work.remove());

/** Whether something accepts connections on `port` of 127.0.0.1. */
function listening(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), done(true)));
    socket.once('error', () => done(false));
  });
}

async function portFreed(port: number, timeoutMs = 30_000): Promise<number> {
  const started = performance.now();
  while (await listening(port)) {
    if (performance.now() - started > timeoutMs) throw new Error(`port ${port} still served ${timeoutMs} ms after twirl up died`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return Math.round(performance.now() - started);
}

for (const signal of ['SIGKILL', 'SIGHUP'] as const) {
  test(`${signal} to twirl up frees its port, and a second twirl up serves there`, async () => {
    const first = await twirlServing(['up', '--listen', '127.0.0.1:0'], work.dir);
    const port = Number(new URL(first.url).port);
    assert.equal(await (await fetch(first.url)).text(), 'still here');
    const exited = first.kill(signal);
    await exited;
    console.log(`# ${signal}: port freed after ${await portFreed(port)} ms`);
    const second = await twirlServing(['up', '--listen', `127.0.0.1:${port}`], work.dir);
    try {
      assert.equal(second.url, first.url);
      assert.equal(await (await fetch(second.url)).text(), 'still here');
    } finally {
      assert.equal(await second.stop(), 0);
    }
  });
}
