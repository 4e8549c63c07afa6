import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { builtTemplate } from '../../node/templates/built-template.ts';
import { redirectTargets, redirectingServers } from '../support/redirecting-servers.ts';
import { published, removeState, startWorker, templateFiles, text, zip } from './support/platform.ts';

const servers = await redirectingServers();
after(() => servers.close());

const platform = await startWorker();
after(() => removeState(platform));

/** Fetches `target` through the app's `/fetch` route and checks that no redirect led anywhere it was not granted. */
async function expectRedirectsNotFollowed(base: URL | string) {
  for (const to of redirectTargets(servers)) {
    for (const mode of ['follow', 'manual']) {
      const target = `${servers.entry}/?status=307&to=${encodeURIComponent(to)}`;
      const res = await fetch(new URL(`fetch?redirect=${mode}&url=${encodeURIComponent(target)}`, base));
      assert.deepEqual(await res.json(), { status: 307, location: to, body: '' });
    }
    const direct = await fetch(new URL(`fetch?url=${encodeURIComponent(to)}`, base));
    assert.equal(direct.status, 502, `a request of its own to ${to} is refused`);
  }
  assert.equal(servers.elsewhereHits(), 0);
}

test('a published app gets the redirect itself and never reaches the host it names', async () => {
  const files = await templateFiles('fixtures/apps/hostile');
  const manifest = new TextDecoder().decode(files['spin.toml']).replace(/allowed = \{ default = "[^"]*" \}/, `allowed = { default = "${servers.entry}" }`);
  const app = await published(platform, zip({ ...files, 'spin.toml': text(manifest) }));
  await expectRedirectsNotFollowed(app.url);
});

test('a deployed app gets the redirect itself and never reaches the host it names', async () => {
  const { dir } = await builtTemplate('fixtures/apps/hostile');
  const worker = await startWorker({ appDir: dir, variables: { allowed: servers.entry } });
  try {
    await expectRedirectsNotFollowed(worker.url);
  } finally {
    await removeState(worker);
  }
});
