import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LogLine } from '../../shared/ports.ts';
import { builtTemplate } from '../../node/templates/built-template.ts';
import { removeState, startWorker } from './support/platform.ts';

test("a deployed app's stdout reaches the local run's log sink, tagged with app, component and request", async () => {
  const { dir } = await builtTemplate('fixtures/apps/stateful');
  const lines: LogLine[] = [];
  const worker = await startWorker({ appDir: dir, logs: { write: (line) => void lines.push(line) } });
  try {
    assert.equal((await fetch(worker.at('/'))).status, 200);
    // workerd's log arrives after the response, through miniflare: wait for it, however busy the machine.
    const deadline = Date.now() + 30_000;
    while (lines.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(lines.length, 1, 'one log line within 30 s');
    assert.deepEqual({ ...lines[0], requestId: typeof lines[0]!.requestId, time: typeof lines[0]!.time }, {
      app: 'stateful',
      component: 'stateful',
      requestId: 'string',
      stream: 'stdout',
      line: 'hits=1',
      time: 'number',
    });
  } finally {
    await removeState(worker);
  }
});
