import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { digestOfLabel, labelOfDigest, publishedAppUrl, siteOf } from '../../../worker/hosts.ts';

const digest = 'a3f1'.repeat(16);

test('a digest and its host label convert both ways, the label fitting one DNS label', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (bytes) => {
      const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
      const label = labelOfDigest(hex);
      assert.equal(label.length, 52);
      assert.match(label, /^[a-z2-7]+$/);
      assert.equal(digestOfLabel(label), hex);
      assert.deepEqual(siteOf(`${label}.example.dev`, 'example.dev'), { kind: 'published', digest: hex });
    }),
  );
});

test('with a domain: the domain is the playground, app ids preview, digests publish, other subdomains nothing', () => {
  assert.deepEqual(siteOf('example.dev', 'example.dev'), { kind: 'playground' });
  assert.deepEqual(siteOf('EXAMPLE.dev.', 'example.dev'), { kind: 'playground' });
  assert.deepEqual(siteOf('0123456789abcdef.example.dev', 'example.dev'), { kind: 'preview', appId: '0123456789abcdef' });
  assert.deepEqual(siteOf('www.example.dev', 'example.dev'), { kind: 'unknown', host: 'www.example.dev' });
  assert.deepEqual(siteOf('0123456789abcdef.a.example.dev', 'example.dev'), { kind: 'unknown', host: '0123456789abcdef.a.example.dev' }, 'not a direct subdomain');
  assert.deepEqual(siteOf('twirl.someone.workers.dev', 'example.dev'), { kind: 'playground' });
  assert.deepEqual(siteOf('127.0.0.1', 'example.dev'), { kind: 'playground' });
});

test('without a domain: twirl.localhost and its app subdomains, as npm start serves them', () => {
  assert.deepEqual(siteOf('twirl.localhost', undefined), { kind: 'playground' });
  assert.deepEqual(siteOf('0123456789abcdef.twirl.localhost', undefined), { kind: 'preview', appId: '0123456789abcdef' });
  assert.deepEqual(siteOf('127.0.0.1', undefined), { kind: 'playground' });
  assert.deepEqual(siteOf('localhost', undefined), { kind: 'playground' });
});

test('a published app gets its own origin on the domain, /a/<digest>/ elsewhere', () => {
  assert.equal(publishedAppUrl('https://example.dev/api/apps', digest, 'example.dev'), `https://${labelOfDigest(digest)}.example.dev/`);
  assert.equal(publishedAppUrl('http://127.0.0.1:8787/api/apps', digest, 'example.dev'), `http://127.0.0.1:8787/a/${digest}/`);
  assert.equal(publishedAppUrl('http://twirl.localhost:3000/api/apps', digest, undefined), `http://twirl.localhost:3000/a/${digest}/`);
});
