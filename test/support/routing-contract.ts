/**
 * Spin's routing, as every host must answer it: one suite, run against the multi-route template
 * by each host's tests (the core engine in Node, a deployed bundle and a published app on
 * workerd). Only what a host legitimately decides itself is a parameter.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

/** Sends a request to the app at `path` (e.g. "/hello?x=1"), as the host would receive it. */
export type AppRequest = (path: string, init?: RequestInit) => Promise<Response>;

export interface RoutingContractOptions {
  /** Scheme, host and port the app is reached at: `spin-full-url` starts with it. */
  origin: string;
  /** `spin-client-addr` as this host gives it (workerd knows no client port). */
  clientAddr: string | RegExp;
}

interface Echo {
  component: string;
  method: string;
  path: string;
  headers: Record<string, string>;
}

export function runRoutingContract(name: string, request: AppRequest, options: RoutingContractOptions): void {
  async function echo(path: string, init?: RequestInit): Promise<Echo> {
    const res = await request(path, init);
    assert.equal(res.status, 200, `status for ${path}`);
    return (await res.json()) as Echo;
  }

  describe(`routing (${name})`, () => {
    test('exact route beats the catch-all', async () => {
      const body = await echo('/hello');
      assert.equal(body.component, 'hello');
      assert.equal(body.headers['spin-path-info'], '');
      assert.equal(body.headers['spin-raw-component-route'], '/hello');
    });

    test('the longest wildcard prefix wins and passes the rest of the path as spin-path-info', async () => {
      const body = await echo('/api/items/42');
      assert.equal(body.component, 'api');
      assert.equal(body.headers['spin-path-info'], '/items/42');
      assert.equal(body.headers['spin-matched-route'], '/api/...');
      assert.equal(body.headers['spin-component-route'], '/api');
      assert.equal(body.headers['spin-raw-component-route'], '/api/...');
    });

    test('tail wildcard matches its bare prefix and keeps a trailing slash', async () => {
      assert.equal((await echo('/api')).headers['spin-path-info'], '');
      assert.equal((await echo('/api/')).headers['spin-path-info'], '/');
    });

    test('named segment arrives as spin-path-match-<name> with underscores as hyphens', async () => {
      const body = await echo('/users/ada');
      assert.equal(body.component, 'users');
      assert.equal(body.headers['spin-path-match-user-id'], 'ada');
    });

    test('anything else falls to the catch-all, with the full URL, base path and client address', async () => {
      const body = await echo('/no/such/page?x=1');
      assert.equal(body.component, 'fallback');
      assert.equal(body.headers['spin-path-info'], '/no/such/page');
      assert.equal(body.headers['spin-full-url'], `${options.origin}/no/such/page?x=1`);
      assert.equal(body.headers['spin-base-path'], '/');
      if (typeof options.clientAddr === 'string') assert.equal(body.headers['spin-client-addr'], options.clientAddr);
      else assert.match(body.headers['spin-client-addr'] ?? '', options.clientAddr);
    });

    test('private component is never routed to', async () => {
      for (const path of ['/internal', '/', '/private']) assert.notEqual((await echo(path)).component, 'internal');
    });

    test('request method and body reach the component', async () => {
      assert.equal((await echo('/api/x', { method: 'POST', body: 'payload' })).method, 'POST');
    });

    test('health endpoint answers OK without running a component', async () => {
      const res = await request('/.well-known/spin/health');
      assert.equal(res.status, 200);
      assert.equal(await res.text(), 'OK');
    });
  });
}
