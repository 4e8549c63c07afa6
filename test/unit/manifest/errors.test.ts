import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDiagnostic, ManifestError } from '../../../shared/errors.ts';
import { loadManifest, parseManifest } from '../../../shared/manifest/parse.ts';

const HEAD = 'spin_manifest_version = 2\n[application]\nname = "app"\n';
const DIGEST = `sha256:${'ab'.repeat(32)}`;

/** 1-based line of the first line containing `needle`. */
function lineWith(text: string, needle: string): number {
  const index = text.split('\n').findIndex((l) => l.includes(needle));
  assert.ok(index >= 0, `fixture has no line containing ${needle}`);
  return index + 1;
}

interface Case {
  name: string;
  text: string;
  code: string;
  /** Text of the line the diagnostic must point at. */
  at: string;
  field?: string;
  /** Words the message must contain. */
  says?: string[];
}

const cases: Case[] = [
  { name: 'broken TOML reports the line and column', text: 'spin_manifest_version = 2\nname = \n', code: 'invalid-toml', at: 'name = ' },
  { name: 'a missing version is unknown', text: '[application]\nname = "x"\n', code: 'unknown-version', at: '', says: ['no version'] },
  { name: 'version 3 is unknown', text: 'spin_manifest_version = 3\n', code: 'unknown-version', at: 'spin_manifest_version', field: 'spin_manifest_version' },
  { name: 'spin_version "2" is unknown', text: 'spin_version = "2"\n', code: 'unknown-version', at: 'spin_version', field: 'spin_version' },
  {
    name: 'a component without source',
    text: `${HEAD}[[trigger.http]]\nroute = "/"\ncomponent = "a"\n[component.a]\nfiles = []\n`,
    code: 'missing-source', at: '[component.a]', field: 'component.a.source',
  },
  {
    name: 'a url source without digest',
    text: `${HEAD}[component.a]\nsource = { url = "https://x.test/a.wasm" }\n`,
    code: 'url-source-without-digest', at: 'source = {', field: 'component.a.source', says: ['digest'],
  },
  {
    name: 'a trigger naming an unknown component lists the known ids',
    text: `${HEAD}[[trigger.http]]\nroute = "/"\ncomponent = "nope"\n[component.a]\nsource = "a.wasm"\n[component.b]\nsource = "b.wasm"\n`,
    code: 'missing-component', at: 'component = "nope"', field: 'trigger.http[0].component', says: ['nope', '`a`', '`b`'],
  },
  {
    name: 'a trigger with neither component nor static response',
    text: `${HEAD}[[trigger.http]]\nroute = "/"\n`,
    code: 'missing-component', at: '[[trigger.http]]', field: 'trigger.http[0]',
  },
  ...[
    ['a route without a leading slash', 'route = "hello"', 'start with'],
    ['a tail wildcard before the end', 'route = "/a/.../b"', 'last segment'],
    ['a star before the end', 'route = "/*/b"', 'last segment'],
    ['a wildcard inside a segment', 'route = "/a..."', 'whole segment'],
    ['a parameter without a name', 'route = "/users/:"', 'parameter'],
    ['a parameter with a bad name', 'route = "/users/:a.b"', 'parameter'],
    ['route private = false', 'route = { private = false }', 'private = true'],
    ['a route that is a number', 'route = 5', 'an integer'],
  ].map(([name, line, says]): Case => ({
    name: `invalid route: ${name}`,
    text: `${HEAD}[[trigger.http]]\ncomponent = "a"\n${line}\n[component.a]\nsource = "a.wasm"\n`,
    code: 'invalid-route', at: line as string, field: 'trigger.http[0].route', says: [says as string],
  })),
  {
    name: 'the second trigger’s bad route points at the second trigger',
    text: `${HEAD}[[trigger.http]]\nroute = "/ok"\ncomponent = "a"\n[[trigger.http]]\nroute = "bad"\ncomponent = "a"\n[component.a]\nsource = "a.wasm"\n`,
    code: 'invalid-route', at: 'route = "bad"', field: 'trigger.http[1].route',
  },
  {
    name: 'a template naming an undeclared variable',
    text: `${HEAD}[variables]\nknown = { default = "x" }\n[component.a]\nsource = "a.wasm"\n[component.a.variables]\ngreeting = "hi {{ who }}"\n`,
    code: 'undeclared-variable', at: 'greeting =', field: 'component.a.variables.greeting', says: ['who', 'known'],
  },
  {
    name: 'an outbound host naming an undeclared variable',
    text: `${HEAD}[component.a]\nsource = "a.wasm"\nallowed_outbound_hosts = ["https://{{ host }}"]\n`,
    code: 'undeclared-variable', at: 'allowed_outbound_hosts', field: 'component.a.allowed_outbound_hosts',
  },
  {
    name: 'an unclosed template',
    text: `${HEAD}[variables]\nwho = { default = "x" }\n[component.a]\nsource = "a.wasm"\nvariables = { greeting = "hi {{ who" }\n`,
    code: 'invalid-template', at: 'variables = {', field: 'component.a.variables.greeting',
  },
  ...['example.com', 'https://example.com/path', 'ftp://example.com', 'https://exa*mple.com', 'https://example.com:http', 'insecure:allow-all'].map(
    (host): Case => ({
      name: `invalid host pattern ${host}`,
      text: `${HEAD}[component.a]\nsource = "a.wasm"\nallowed_outbound_hosts = ["${host}"]\n`,
      code: 'invalid-host-pattern', at: 'allowed_outbound_hosts', field: 'component.a.allowed_outbound_hosts',
    }),
  ),
  {
    name: 'a templated host pattern that resolves to garbage',
    text: `${HEAD}[variables]\nhost = { default = "no scheme" }\n[component.a]\nsource = "a.wasm"\nallowed_outbound_hosts = ["{{ host }}"]\n`,
    code: 'invalid-host-pattern', at: 'allowed_outbound_hosts', says: ['becomes'],
  },
  ...['Name', '1st', 'has-dash', 'trailing_', 'double__under'].map(
    (name): Case => ({
      name: `invalid variable name ${name}`,
      text: `${HEAD}[variables]\n"${name}" = { default = "x" }\n`,
      code: 'invalid-variable-name', at: `"${name}"`, field: `variables.${/^[A-Za-z0-9_-]+$/.test(name) ? name : JSON.stringify(name)}`,
    }),
  ),
  {
    name: 'an invalid component variable name',
    text: `${HEAD}[component.a]\nsource = "a.wasm"\n[component.a.variables]\nBad = "x"\n`,
    code: 'invalid-variable-name', at: 'Bad =', field: 'component.a.variables.Bad',
  },
  {
    name: 'a variable both required and defaulted',
    text: `${HEAD}[variables]\nx = { default = "a", required = true }\n`,
    code: 'invalid-variable', at: 'x = {', field: 'variables.x',
  },
  {
    name: 'an invalid component id',
    text: `${HEAD}[component.Hello_World]\nsource = "a.wasm"\n`,
    code: 'invalid-component-id', at: '[component.Hello_World]', field: 'component.Hello_World',
  },
  {
    name: 'an inline component table is not supported',
    text: `${HEAD}[[trigger.http]]\nroute = "/"\ncomponent = { source = "a.wasm" }\n`,
    code: 'unsupported-inline-component', at: 'component = {', field: 'trigger.http[0].component', says: ['not supported'],
  },
  ...[
    ['allowed_outbound_hosts = "https://x.test"', 'allowed_outbound_hosts', 'a list of strings, found a string'],
    ['key_value_stores = ["default", 3]', 'key_value_stores', 'a list of strings, found a list containing an integer'],
    ['exclude_files = true', 'exclude_files', 'a list of strings'],
    ['environment = ["A=1"]', 'environment', 'a table of strings'],
    ['description = 12', 'description', 'a string'],
    ['files = [1]', 'files', 'glob strings'],
    ['source = 7', 'source', 'a path string'],
    ['build = { command = 1 }', 'build.command', 'a string or a list'],
  ].map(([line, field, says]): Case => ({
    name: `wrong type: ${line}`,
    text: `${HEAD}[component.a]\nsource = "a.wasm"\n${line}\n`.replace('source = "a.wasm"\nsource = 7', 'source = 7'),
    code: 'invalid-type', at: (line as string).split(' ')[0] as string, field: `component.a.${field}`, says: [says as string],
  })),
  {
    name: 'a static response with a bad status',
    text: `${HEAD}[[trigger.http]]\nroute = "/"\nstatic_response = { status_code = 42 }\n`,
    code: 'invalid-type', at: 'static_response', field: 'trigger.http[0].static_response.status_code',
  },
  {
    name: 'an unknown executor type',
    text: `${HEAD}[[trigger.http]]\nroute = "/"\ncomponent = "a"\nexecutor = { type = "cgi" }\n[component.a]\nsource = "a.wasm"\n`,
    code: 'invalid-executor', at: 'executor', field: 'trigger.http[0].executor.type',
  },
  {
    name: 'Spin 1: a component trigger without route',
    text: 'spin_version = "1"\nname = "x"\ntrigger = { type = "http" }\n[[component]]\nid = "a"\nsource = "a.wasm"\n[component.trigger]\nexecutor = { type = "spin" }\n',
    code: 'invalid-route', at: '[component.trigger]', field: 'component[0].trigger.route',
  },
  {
    name: 'Spin 1: a redis app is not supported',
    text: 'spin_version = "1"\nname = "x"\ntrigger = { type = "redis" }\n',
    code: 'unsupported-trigger', at: 'trigger =', field: 'trigger.type',
  },
  {
    name: 'Spin 1: a second component without source',
    text: 'spin_version = "1"\nname = "x"\ntrigger = { type = "http" }\n[[component]]\nid = "a"\nsource = "a.wasm"\n[[component]] # b\nid = "b"\n',
    code: 'missing-source', at: '[[component]] # b', field: 'component[1].source',
  },
];

for (const c of cases) {
  test(`reports ${c.code}: ${c.name}`, () => {
    const { app, diagnostics } = parseManifest(c.text, 'apps/spin.toml');
    assert.equal(app, undefined, 'an error leaves no app');
    const found = diagnostics.find((d) => d.code === c.code && d.severity === 'error');
    assert.ok(found, `expected ${c.code}, got ${JSON.stringify(diagnostics)}`);
    assert.ok(found.message.length > 0);
    if (c.at) {
      const line = lineWith(c.text, c.at);
      assert.equal(found.line, line, `line of ${c.code}`);
      assert.ok(formatDiagnostic(found).startsWith(`apps/spin.toml:${line}`), formatDiagnostic(found));
      assert.equal(found.lineText, c.text.split('\n')[line - 1]);
    }
    if (c.field) assert.equal(found.field, c.field);
    for (const word of c.says ?? []) assert.ok(found.message.includes(word), `"${found.message}" should mention ${word}`);
  });
}

test('invalid TOML carries the column and the offending line in the formatted text', () => {
  const { diagnostics } = parseManifest('spin_manifest_version = 2\nname = \n', 'spin.toml');
  assert.equal(diagnostics.length, 1);
  const [d] = diagnostics;
  assert.equal(d?.line, 2);
  assert.equal(d?.column, 8);
  assert.match(formatDiagnostic(d!), /^spin\.toml:2:8: error: not valid TOML: .*\n {4}name =$/);
});

test('missing-variable: loadManifest rejects a required variable without a value', () => {
  const text = `${HEAD}[variables]\ntoken = { required = true }\n`;
  assert.throws(
    () => loadManifest(text),
    (err: unknown) => {
      assert.ok(err instanceof ManifestError);
      assert.equal(err.code, 'missing-variable');
      assert.equal(err.diagnostics[0]?.line, lineWith(text, 'token ='));
      assert.equal(err.diagnostics[0]?.field, 'variables.token');
      assert.ok(err.message.includes('spin.toml:5'), err.message);
      assert.ok(!err.message.includes('    at '), 'no stack trace in the message');
      return true;
    },
  );
});

test('missing-variable: a required variable provided to loadManifest is fine', () => {
  const text = `${HEAD}[variables]\ntoken = { required = true }\n`;
  assert.deepEqual(loadManifest(text, 'spin.toml', { variables: { token: 't' } }).variables.token, { required: true, secret: false });
});

test('parseManifest without provided values does not demand required variables', () => {
  const { app } = parseManifest(`${HEAD}[variables]\ntoken = { required = true }\n`);
  assert.ok(app);
});

test('loadManifest throws only the errors, not the warnings', () => {
  const text = `${HEAD}colour = "blue"\n[component.a]\nfiles = []\n`;
  assert.throws(() => loadManifest(text), (err: unknown) => {
    assert.ok(err instanceof ManifestError);
    assert.deepEqual(err.diagnostics.map((d) => d.code), ['missing-source']);
    return true;
  });
});

test('a url source with a valid digest is accepted', () => {
  const { app } = parseManifest(`${HEAD}[component.a]\nsource = { url = "https://x.test/a.wasm", digest = "${DIGEST}" }\n`);
  assert.deepEqual(app?.components.a?.source, { url: 'https://x.test/a.wasm', digest: DIGEST });
});

test('every error in one manifest is reported, not just the first', () => {
  const text = `${HEAD}[[trigger.http]]\nroute = "x"\ncomponent = "missing"\n[component.a]\nallowed_outbound_hosts = ["nope"]\n`;
  const codes = parseManifest(text).diagnostics.map((d) => d.code).sort();
  assert.deepEqual(codes, ['invalid-route', 'missing-component', 'missing-source']);
});

test('a trigger naming a broken component is not also told the component does not exist', () => {
  const text = `${HEAD}[[trigger.http]]\nroute = "/"\ncomponent = "a"\n[component.a]\nfiles = []\n`;
  assert.deepEqual(parseManifest(text).diagnostics.map((d) => d.code), ['missing-source']);
});
