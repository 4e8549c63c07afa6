import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { parseManifest } from '../../../shared/manifest/parse.ts';

const dir = new URL('../../fixtures/manifests/', import.meta.url);
const seeds = readdirSync(dir).filter((f) => f.endsWith('.toml')).map((f) => readFileSync(new URL(f, dir), 'utf8'));

/** A TOML value of any type, sometimes nested deeply or huge. */
const tomlValue: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.integer().map(String),
    fc.double().map((d) => (Number.isFinite(d) ? String(d) : 'nan')),
    fc.constantFrom('true', 'false', 'inf', '-inf', '1979-05-27T07:32:00Z', '07:32:00', '0x1F', '"{{ name }}"', '"{{ nope"', '"/..."', '"*://*:*"'),
    fc.string().map((s) => JSON.stringify(s)),
    fc.string().map((s) => `'${s.replace(/['\n\r]/g, '')}'`),
    fc.array(tie('value'), { maxLength: 4 }).map((vs) => `[${vs.join(', ')}]`),
    fc.dictionary(fc.constantFrom('source', 'url', 'digest', 'route', 'private', 'default', 'required', 'type', 'x'), tie('value'), { maxKeys: 3 })
      .map((d) => `{ ${Object.entries(d).map(([k, v]) => `${k} = ${v}`).join(', ')} }`),
  ),
})).value;

type Mutation = (lines: string[]) => string[];

/** Most mutations keep the TOML readable so the checks past the TOML parser get exercised. */
const at = (lines: string[], i: number) => Math.abs(i) % Math.max(lines.length, 1);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 2, arbitrary: fc.nat().map((i): Mutation => (lines) => lines.filter((_, j) => j !== at(lines, i))) },
  { weight: 1, arbitrary: fc.nat().map((i): Mutation => (lines) => lines.flatMap((l, j) => (j === at(lines, i) ? [l, l] : [l]))) },
  { weight: 1, arbitrary: fc.tuple(fc.nat(), fc.nat()).map(([i, k]): Mutation => (lines) => {
    const out = [...lines];
    const a = at(lines, i), b = at(lines, k);
    [out[a], out[b]] = [out[b] ?? '', out[a] ?? ''];
    return out;
  }) },
  { weight: 1, arbitrary: fc.tuple(fc.nat(), fc.nat(), fc.string({ maxLength: 8 })).map(([i, p, junk]): Mutation => (lines) =>
    lines.map((l, j) => (j === at(lines, i) ? l.slice(0, p % (l.length + 1)) + junk + l.slice(p % (l.length + 1)) : l))) },
  { weight: 8, arbitrary: fc.tuple(fc.nat(), tomlValue).map(([i, v]): Mutation => (lines) =>
    lines.map((l, j) => (j === at(lines, i) && l.includes('=') ? `${l.slice(0, l.indexOf('='))}= ${v}` : l))) },
  { weight: 5, arbitrary: fc.tuple(fc.nat(), fc.constantFrom('route', 'component', 'source', 'allowed_outbound_hosts', 'files', 'variables', 'static_response', 'executor', 'build', 'name', 'spin_manifest_version', 'key_value_stores'), tomlValue)
    .map(([i, key, v]): Mutation => (lines) => [...lines.slice(0, at(lines, i)), `${key} = ${v}`, ...lines.slice(at(lines, i))]) },
  { weight: 1, arbitrary: fc.tuple(fc.nat(), fc.constantFrom('[component.x]', '[[trigger.http]]', '[variables]', '[application]', '[[component]]', '[component.trigger]', '[component.hello.build]', '[application.trigger.http]'))
    .map(([i, header]): Mutation => (lines) => [...lines.slice(0, at(lines, i)), header, ...lines.slice(at(lines, i))]) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 3000 }).map((n): Mutation => (lines) => [...lines, `deep = ${'['.repeat(n)}${']'.repeat(n)}`]) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 3000 }).map((n): Mutation => (lines) => [...lines, `deep = ${'{ a = '.repeat(n)}1${' }'.repeat(n)}`]) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 3000 }).map((n): Mutation => (lines) => [...lines, `[${'a.'.repeat(n)}a]`]) },
  { weight: 1, arbitrary: fc.tuple(fc.nat(), fc.integer({ min: 1_000, max: 200_000 })).map(([i, n]): Mutation => (lines) =>
    lines.map((l, j) => (j === at(lines, i) && l.includes('=') ? `${l.slice(0, l.indexOf('='))}= "${'x{'.repeat(n / 2)}"` : l))) },
  { weight: 1, arbitrary: fc.constant<Mutation>((lines) => lines.map((l) => l.replace(/"/g, "'"))) },
);

function checkNeverThrows(text: string): number {
  const started = performance.now();
  const result = parseManifest(text, 'fuzz.toml');
  const elapsed = performance.now() - started;
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  assert.equal(result.app === undefined, errors.length > 0, 'app is absent exactly when there are errors');
  for (const d of result.diagnostics) {
    assert.ok(d.message.length > 0 && d.code.length > 0 && d.file === 'fuzz.toml', JSON.stringify(d));
    if (d.line !== undefined) assert.ok(Number.isInteger(d.line) && d.line >= 1);
  }
  return elapsed;
}

test('mutated manifests never throw and always explain themselves', () => {
  assert.ok(seeds.length >= 3);
  let slowest = 0;
  fc.assert(
    fc.property(fc.constantFrom(...seeds), fc.array(mutation, { minLength: 1, maxLength: 4 }), (seed, mutations) => {
      const text = mutations.reduce((lines, m) => m(lines), seed.split('\n')).join('\n');
      slowest = Math.max(slowest, checkNeverThrows(text));
    }),
    { numRuns: 2500 },
  );
  // One case, not the run: a whole run's time says more about the machine's load than about the parser.
  assert.ok(slowest < 2_000, `slowest case took ${slowest} ms`);
});

test('arbitrary text never throws', () => {
  fc.assert(fc.property(fc.string({ maxLength: 400 }), (text) => void checkNeverThrows(text)), { numRuns: 500 });
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => void checkNeverThrows(text)), { numRuns: 300 });
});
