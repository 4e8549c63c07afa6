/**
 * A JS component run as a shared engine plus its snapshot answers exactly as the same component
 * run whole: every template, the same requests in the same order (state included), compared
 * status, headers and body.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { templateEngine, type TemplateEngine } from '../../support/template-engine.ts';
import { loadComponent } from '../../../node/component/load-component.ts';
import { builtTemplate } from '../../../node/templates/built-template.ts';

const templates = (await readdir(fileURLToPath(new URL('../../../templates/', import.meta.url)), { withFileTypes: true }))
  .filter((e) => e.isDirectory())
  .map((e) => e.name);

/** Paths that reach every kind of route the templates have; each is sent twice, so restored instances answer too. */
const requests: Array<[string, RequestInit?]> = [
  ['/'],
  ['/hello?name=snapshot'],
  ['/api/items/7', { method: 'POST', body: 'a body', headers: { 'content-type': 'text/plain' } }],
  ['/users/42'],
  ['/index.html'],
  ['/does/not/exist'],
  ['/?url=http://upstream.example/data'],
  ['/.well-known/spin/health'],
];

/** Outbound requests get one fixed answer: only the two preparations may differ here. */
const upstream = async (request: Request) => new Response(`upstream saw ${request.method} ${request.url}`, { headers: { 'x-upstream': '1' } });

async function transcript(engine: TemplateEngine): Promise<string[]> {
  const out: string[] = [];
  for (const [path, init] of [...requests, ...requests]) {
    const res = await engine.request(path, init);
    const headers = [...res.headers].map(([k, v]) => `${k}: ${v}`).join('\n');
    out.push(`${path} → ${res.status}\n${headers}\n\n${await res.text()}`);
  }
  return out;
}

for (const name of templates) {
  test(`${name}: engine + snapshot answers as the whole component does`, async () => {
    const overrides = { fetch: upstream, variables: { name: 'Ada', upstream: 'http://upstream.example/' } };
    const whole = await templateEngine(name, overrides, () => {}, { split: false });
    const split = await templateEngine(name, overrides, () => {}, { split: true });
    for (const [id, bytes] of Object.entries((await builtTemplate(name)).components)) {
      assert.equal((await loadComponent(bytes)).snapshots?.size, 1, `${name}/${id} runs as an engine plus a snapshot`);
    }
    const expected = await transcript(whole);
    assert.ok(expected.some((line) => / → 200\n/.test(line)), `${name} answered 200 to some request`);
    assert.deepEqual(await transcript(split), expected);
    assert.deepEqual(split.logs.map((l) => l.line), whole.logs.map((l) => l.line));
  });
}
