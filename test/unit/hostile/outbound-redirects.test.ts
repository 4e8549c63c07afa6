import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { templateEngine } from '../../support/template-engine.ts';
import { redirectTargets, redirectingServers } from '../../support/redirecting-servers.ts';

const servers = await redirectingServers();
after(() => servers.close());
// Granted only the entry server: never its neighbour on another port, never [::1] or localhost.
const app = await templateEngine('fixtures/apps/hostile', { variables: { allowed: servers.entry } });

const fetchVia = (target: string, mode: string) => app.request(`/fetch?redirect=${mode}&url=${encodeURIComponent(target)}`);

for (const status of [301, 302, 303, 307, 308]) {
  test(`a ${status} from an allowed host reaches no host the component was not granted`, async () => {
    for (const to of redirectTargets(servers)) {
      const res = await fetchVia(`${servers.entry}/?status=${status}&to=${encodeURIComponent(to)}`, 'follow');
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { status, location: to, body: '' }, 'the guest sees the redirect itself');
    }
    assert.equal(servers.elsewhereHits(), 0);
  });
}

test("a guest asking redirect: 'manual' gets the 3xx and its Location", async () => {
  const res = await fetchVia(`${servers.entry}/?status=307&to=/next`, 'manual');
  assert.deepEqual(await res.json(), { status: 307, location: '/next', body: '' });
});

test('a guest that follows the redirect itself is checked again: denied, logged with the component name', async () => {
  for (const to of redirectTargets(servers)) {
    const res = await fetchVia(to, 'follow');
    assert.equal(res.status, 502);
    const denied = app.logs.filter((l) => l.line.includes('denied') && l.line.includes(new URL(to).host));
    assert.ok(denied.length > 0, `the denial of ${to} is logged`);
    assert.ok(denied.every((l) => l.component === 'hostile' && l.line.includes('component hostile')));
  }
  assert.equal(servers.elsewhereHits(), 0);
});
