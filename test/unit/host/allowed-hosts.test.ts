import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TwirlError } from '../../../shared/errors.ts';
import { AllowedHosts, parseHostPattern } from '../../../shared/host/allowed-hosts.ts';

const cases: [pattern: string, allowed: string[], denied: string[]][] = [
  ['https://example.com', ['https://example.com/', 'https://example.com:443/x', 'https://EXAMPLE.com/'], ['http://example.com/', 'https://example.com:8443/', 'https://api.example.com/']],
  ['http://example.com', ['http://example.com/a?b'], ['http://example.com:8080/', 'https://example.com/']],
  ['http://localhost:3000', ['http://localhost:3000/'], ['http://localhost/', 'http://localhost:3001/']],
  ['https://*.example.com', ['https://api.example.com/', 'https://a.b.example.com/'], ['https://example.com/', 'https://badexample.com/']],
  ['*://example.com:8080', ['http://example.com:8080/', 'https://example.com:8080/', 'ws://example.com:8080/'], ['http://example.com/']],
  ['https://*:443', ['https://anything.test/'], ['http://anything.test/', 'https://anything.test:444/']],
  ['*://*:*', ['http://a.test/', 'https://b.test:1234/', 'ftp://c.test/'], []],
  ['http://example.com:8000..8010', ['http://example.com:8000/', 'http://example.com:8009/'], ['http://example.com:8010/', 'http://example.com:7999/', 'http://example.com/']],
  ['http://example.com:*', ['http://example.com:1/', 'http://example.com/'], ['https://example.com/']],
  ['http://10.0.0.0/8', ['http://10.1.2.3/'], ['http://11.0.0.1/', 'http://example.com/']],
  ['http://[::1]:8080', ['http://[::1]:8080/'], ['http://[::2]:8080/']],
  ['postgres://db.internal', ['postgres://db.internal:5432/'], ['postgres://db.internal:5433/']],
  ['http://self', ['http://self.alt/x'], ['http://self/', 'http://localhost/']],
];

for (const [pattern, allowed, denied] of cases) {
  test(`${pattern} allows and denies the right URLs`, () => {
    const hosts = AllowedHosts.compile([pattern], {});
    for (const url of allowed) assert.equal(hosts.allows(new URL(url)), true, `${pattern} should allow ${url}`);
    for (const url of denied) assert.equal(hosts.allows(new URL(url)), false, `${pattern} should deny ${url}`);
  });
}

test('an IPv6 network matches addresses inside it', () => {
  const hosts = AllowedHosts.compile(['http://fd00::/8:*'], {});
  assert.equal(hosts.allows(new URL('http://[fd12::1]/')), true);
  assert.equal(hosts.allows(new URL('http://[fe80::1]/')), false);
});

test('no patterns allow nothing', () => {
  assert.equal(AllowedHosts.compile([], {}).allows(new URL('https://example.com/')), false);
});

test('templates resolve from the given variables before matching', () => {
  const hosts = AllowedHosts.compile(['https://{{ api_host }}:{{ port }}'], { api_host: 'api.test', port: '8443' });
  assert.equal(hosts.allows(new URL('https://api.test:8443/')), true);
  assert.equal(hosts.allows(new URL('https://api.test/')), false);
  assert.throws(() => AllowedHosts.compile(['https://{{ missing }}'], {}), (e: unknown) => e instanceof TwirlError && e.code === 'missing-variable');
  assert.throws(() => AllowedHosts.compile(['{{ h }}'], { h: 'nonsense' }), (e: unknown) => e instanceof TwirlError && e.code === 'invalid-host-pattern');
});

test('self patterns allow calls to the app itself; specific hosts do not', () => {
  assert.equal(AllowedHosts.compile(['http://self'], {}).allowsSelf(), true);
  assert.equal(AllowedHosts.compile(['*://*:*'], {}).allowsSelf(), true);
  assert.equal(AllowedHosts.compile(['https://example.com'], {}).allowsSelf(), false);
  assert.equal(AllowedHosts.compile(['https://self'], {}).allowsSelf('http'), false);
});

test('parseHostPattern rejects what Spin rejects, with a reason', () => {
  for (const bad of [
    'example.com', 'example.com:80', 'https://example.com/path', 'ftp://example.com', 'ht1p://x', 'https://ex*ample.com',
    'https://*.ex*.com', 'https://x:port', 'https://x:70000', 'https://x:1..2..3', 'https://', 'https://{a,b}', 'insecure:allow-all',
  ]) {
    const { pattern, error } = parseHostPattern(bad);
    assert.equal(pattern, undefined, bad);
    assert.ok(error && error.length > 0, bad);
  }
});

test('parseHostPattern reads scheme, host and ports', () => {
  assert.deepEqual(parseHostPattern('https://*.example.com:8000..8010/').pattern, {
    original: 'https://*.example.com:8000..8010/', scheme: 'https', host: { kind: 'subdomain', suffix: '.example.com' }, ports: [{ start: 8000, end: 8010 }],
  });
  assert.deepEqual(parseHostPattern('mqtt://broker').pattern?.ports, [{ start: 1883, end: 1884 }]);
  assert.deepEqual(parseHostPattern('*://*:*').pattern?.host, { kind: 'any' });
});

test('a wildcard host does not reach loopback or private networks; a named one does', () => {
  const wildcard = AllowedHosts.compile(['*://*:*'], {});
  for (const url of ['http://127.0.0.1:8080/', 'http://localhost/', 'http://10.1.2.3/', 'http://192.168.0.1/', 'http://[::1]/', 'http://169.254.169.254/latest', 'http://[::ffff:10.0.0.1]/']) {
    assert.equal(wildcard.allows(new URL(url)), false, url);
  }
  assert.equal(wildcard.allows(new URL('https://example.com/')), true);
  assert.equal(AllowedHosts.compile(['http://127.0.0.1:*'], {}).allows(new URL('http://127.0.0.1:8080/')), true);
  assert.equal(AllowedHosts.compile(['http://10.0.0.0/8'], {}).allows(new URL('http://10.1.2.3/')), true);
});

test('a host with spaces, empty labels or stray characters is not a valid pattern', () => {
  for (const p of ['http://exa mple.com', 'http://a..b', 'https://*.exa mple.com', 'http://ex@mple.com']) {
    assert.match(parseHostPattern(p).error ?? '', /not a valid host name/, p);
  }
  assert.ok(parseHostPattern('http://my_service.internal:8080').pattern);
  assert.ok(parseHostPattern('http://[::1]:8080').pattern);
});
