import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TwirlError } from '../../../shared/errors.ts';
import { environmentNameOf, parseTemplate, resolveAppVariables, resolveTemplate, resolveVariables, variablesFromEnvironment } from '../../../shared/host/variables.ts';
import { loadManifest } from '../../../shared/manifest/parse.ts';

const code = (c: string) => (err: unknown) => err instanceof TwirlError && err.code === c;

test('parseTemplate splits literal text and variable references', () => {
  assert.deepEqual(parseTemplate('Hello, {{ name }}!{{x}}').segments, [
    { literal: 'Hello, ' }, { variable: 'name' }, { literal: '!' }, { variable: 'x' },
  ]);
  assert.deepEqual(parseTemplate('plain }} text').segments, [{ literal: 'plain }} text' }]);
  assert.deepEqual(parseTemplate(''), { segments: [] });
});

test('parseTemplate rejects unclosed braces and invalid names', () => {
  for (const bad of ['{{ name', 'a {{ b }} {{', '{{ Name }}', '{{ }}', '{{ a-b }}']) {
    const result = parseTemplate(bad);
    assert.ok(result.error, bad);
    assert.deepEqual(result.segments, []);
  }
});

test('resolveTemplate fills references and fails on a missing value', () => {
  assert.equal(resolveTemplate('{{ a }}-{{ b }}', { a: '1', b: '2' }), '1-2');
  assert.throws(() => resolveTemplate('{{ a }}', {}), code('missing-variable'));
  assert.throws(() => resolveTemplate('{{ a', { a: '1' }), code('invalid-template'));
});

const manifest = `spin_manifest_version = 2
[application]
name = "vars"
[variables]
name = { default = "world" }
token = { required = true, secret = true }
[component.greeter]
source = "g.wasm"
[component.greeter.variables]
greeting = "Hello, {{ name }}!"
plain = "fixed"
[component.keeper]
source = "k.wasm"
[component.keeper.variables]
secret = "{{ token }}"
`;

test('component variables resolve from defaults, and provided values override them', () => {
  const app = loadManifest(manifest, 'spin.toml', { variables: { token: 't' } });
  assert.deepEqual(resolveVariables(app, 'greeter', { token: 't' }), { greeting: 'Hello, world!', plain: 'fixed' });
  assert.deepEqual(resolveVariables(app, 'greeter', { token: 't', name: 'Twirl' }), { greeting: 'Hello, Twirl!', plain: 'fixed' });
  assert.deepEqual(resolveVariables(app, 'keeper', { token: 's3cret' }), { secret: 's3cret' });
});

test('a required variable without a value throws missing-variable', () => {
  const app = loadManifest(manifest, 'spin.toml', { variables: { token: 't' } });
  assert.throws(() => resolveVariables(app, 'keeper', {}), code('missing-variable'));
  assert.throws(() => resolveAppVariables(app, {}), code('missing-variable'));
});

test('an unknown component id throws unknown-component', () => {
  const app = loadManifest(manifest, 'spin.toml', { variables: { token: 't' } });
  assert.throws(() => resolveVariables(app, 'nope', { token: 't' }), code('unknown-component'));
});

test("Spin's environment provider: SPIN_VARIABLE_<NAME> sets <name>; other entries are ignored", () => {
  const env = { SPIN_VARIABLE_API_KEY: 'secret', SPIN_VARIABLE_X: '', PATH: '/bin', SPIN_VARIABLE_NUM: 3, KEY_VALUE: {} };
  assert.deepEqual(variablesFromEnvironment(env), { api_key: 'secret', x: '' });
  assert.equal(environmentNameOf('api_key'), 'SPIN_VARIABLE_API_KEY');
});
