import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtTemplate } from '../../node/templates/built-template.ts';
import { removeState, startWorker } from './support/platform.ts';

test('an app run locally on workerd takes its fuel budget from the runner (twirl up --fuel)', async () => {
  const { dir } = await builtTemplate('fixtures/apps/stateful');
  const worker = await startWorker({ appDir: dir, limits: { fuel: 50_000 } });
  try {
    assert.equal((await fetch(worker.at('/work?n=10'))).status, 200);
    assert.equal((await fetch(worker.at('/work?n=100000'))).status, 504);
    assert.equal((await fetch(worker.at('/work?n=10'))).status, 200);
  } finally {
    await removeState(worker);
  }
});
