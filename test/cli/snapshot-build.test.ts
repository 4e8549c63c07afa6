/**
 * After an edit, `twirl build` of a JS component makes only a snapshot on its world's kept
 * engine (no splice, no WASI stubbing, no new component wrapped), and `twirl up` serves it.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tempDir, twirl, twirlServing } from './run-twirl.ts';

describe('twirl build after an edit', () => {
  let remove: () => Promise<void>;
  let app: string;
  before(async () => {
    let dir: string;
    ({ dir, remove } = await tempDir());
    app = join(dir, 'edited');
    const created = await twirl(['new', 'http-js', 'edited', '--accept-defaults'], dir);
    assert.equal(created.code, 0, created.stderr);
    // The first build keeps the world's engine, if no build on this machine has kept it yet.
    const first = await twirl(['build'], app);
    assert.equal(first.code, 0, first.stderr);
  });
  after(() => remove());

  it('rebuilds from the kept engine, and up answers with the edited body', async () => {
    const source = join(app, 'src/index.js');
    await writeFile(source, (await readFile(source, 'utf8')).replace('Hello, Fermyon!', 'Hello, snapshot build!'));
    const rebuilt = await twirl(['build'], app);
    assert.equal(rebuilt.code, 0, rebuilt.stderr);
    assert.match(rebuilt.stderr, /^twirl componentize: initialised on the kept engine of its world$/m);
    assert.match(rebuilt.stderr, /^twirl componentize: [\d.]+ MB, bundle \d+ ms, snapshot \d+ ms$/m);
    assert.doesNotMatch(rebuilt.stderr, /componentizing/);

    const serving = await twirlServing(['up', '--listen', '127.0.0.1:0'], app, 300_000);
    try {
      const response = await fetch(`${serving.url}/after/edit`);
      assert.equal(response.status, 200);
      assert.match(await response.text(), /^Hello, snapshot build!\nmethod: GET\npath: \/after\/edit\n$/);
    } finally {
      assert.equal(await serving.stop(), 0);
    }
  });
});
