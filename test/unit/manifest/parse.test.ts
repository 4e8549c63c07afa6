import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { formatDiagnostic } from '../../../shared/errors.ts';
import { loadManifest, parseManifest } from '../../../shared/manifest/parse.ts';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/manifests/${name}`, import.meta.url), 'utf8');
const HEAD = 'spin_manifest_version = 2\n[application]\nname = "app"\n';

test('a version 2 manifest becomes an App with every field', () => {
  const app = loadManifest(fixture('hello-v2.toml'), 'spin.toml', { variables: { api_token: 'secret' } });
  assert.equal(app.name, 'hello');
  assert.equal(app.version, '1.0.0');
  assert.equal(app.description, 'A greeting app');
  assert.equal(app.basePath, '/');
  assert.deepEqual(app.variables, {
    name: { default: 'world', required: false, secret: false },
    api_host: { default: 'api.example.com', required: false, secret: false },
    api_token: { required: true, secret: true },
  });
  assert.deepEqual(app.triggers, [
    { index: 0, route: { path: '/hello/...' }, component: 'hello', line: 16 },
    { index: 1, route: { path: '/users/:user_id' }, component: 'users', executor: { type: 'spin' }, line: 20 },
    { index: 2, route: { private: true }, component: 'internal', line: 25 },
    {
      index: 3,
      route: { path: '/teapot' },
      staticResponse: { status: 418, headers: { 'content-type': 'text/plain' }, body: "I'm a teapot" },
      line: 29,
    },
  ]);
  assert.deepEqual(app.components.hello, {
    id: 'hello',
    description: 'Says hello',
    source: { path: 'target/hello.wasm' },
    files: [{ glob: 'static/**/*' }, { source: 'assets', destination: '/assets' }],
    excludeFiles: ['static/secret.txt'],
    allowedOutboundHosts: ['https://{{ api_host }}', 'http://self'],
    keyValueStores: ['default'],
    environment: { LOG_LEVEL: 'debug' },
    variables: { greeting: 'Hello, {{ name }}!', token: '{{ api_token }}' },
    build: { command: 'cargo build --target wasm32-wasip1 --release', workdir: 'hello', watch: ['src/**/*.rs', 'Cargo.toml'] },
  });
  assert.deepEqual(app.components.users?.source, {
    url: 'https://example.com/users.wasm',
    digest: 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
  });
  assert.deepEqual(app.warnings, []);
});

test('a Spin 1 manifest converts to the same App shape', () => {
  const app = loadManifest(fixture('hello-v1.toml'));
  assert.equal(app.name, 'hello-v1');
  assert.equal(app.version, '0.1.0');
  assert.deepEqual(Object.keys(app.components), ['hello', 'wagi-app']);
  assert.deepEqual(app.triggers, [
    { index: 0, route: { path: '/hello' }, component: 'hello', line: 19 },
    {
      index: 1,
      route: { path: '/wagi/...' },
      component: 'wagi-app',
      executor: { type: 'wagi', argv: '${SCRIPT_NAME} ${ARGS}', entrypoint: '_start' },
      line: 29,
    },
  ]);
  const hello = app.components.hello;
  assert.deepEqual(hello?.variables, { greeting: '{{ message }} there' });
  assert.deepEqual(hello?.allowedOutboundHosts, [
    'http://example.com', 'https://example.com', 'http://api.example.com:8443', 'https://api.example.com:8443', 'http://self',
  ]);
  assert.deepEqual(hello?.build, { command: 'npm run build', watch: ['src/**/*.ts'] });
  assert.deepEqual(hello?.environment, { MODE: 'v1' });
  assert.deepEqual(app.components['wagi-app']?.allowedOutboundHosts, ['*://*:*']);
});

test('Spin 1 also accepts spin_manifest_version = "1"', () => {
  const text = 'spin_manifest_version = "1"\nname = "x"\ntrigger = { type = "http", base = "/api" }\n[[component]]\nid = "a"\nsource = "a.wasm"\n[component.trigger]\nroute = "/"\n';
  const app = loadManifest(text);
  assert.equal(app.basePath, '/api');
  assert.equal(app.triggers[0]?.component, 'a');
});

test('the minimal manifest has empty defaults', () => {
  const app = loadManifest(fixture('minimal.toml'));
  assert.deepEqual(app.components.app, {
    id: 'app', source: { path: 'app.wasm' }, files: [], excludeFiles: [], allowedOutboundHosts: [],
    keyValueStores: [], environment: {}, variables: {},
  });
  assert.deepEqual(app.variables, {});
});

test('a duplicate route is a warning naming both components, and the app still loads', () => {
  const text = `${HEAD}[[trigger.http]]\nroute = "/hello"\ncomponent = "first"\n[[trigger.http]]\nroute = "/hello"\ncomponent = "second"\n[component.first]\nsource = "1.wasm"\n[component.second]\nsource = "2.wasm"\n`;
  const { app, diagnostics } = parseManifest(text);
  assert.ok(app);
  assert.equal(app.triggers.length, 2);
  assert.equal(diagnostics.length, 1);
  const [warning] = app.warnings;
  assert.equal(warning?.code, 'duplicate-route');
  assert.equal(warning?.severity, 'warning');
  assert.equal(warning?.line, 8);
  assert.equal(warning?.field, 'trigger.http[1].route');
  assert.match(warning?.message ?? '', /`first`.*`second`/);
  assert.ok(formatDiagnostic(warning!).startsWith('spin.toml:8: warning:'));
});

test('routes that differ only by a trailing slash or wildcard spelling are duplicates', () => {
  const text = `${HEAD}[[trigger.http]]\nroute = "/a/..."\ncomponent = "x"\n[[trigger.http]]\nroute = "/a/*"\nstatic_response = { body = "hi" }\n[component.x]\nsource = "x.wasm"\n`;
  const { app } = parseManifest(text);
  assert.deepEqual(app?.warnings.map((w) => w.code), ['duplicate-route']);
  assert.match(app?.warnings[0]?.message ?? '', /a static response/);
});

test('distinct routes raise no duplicate warning', () => {
  const text = `${HEAD}[[trigger.http]]\nroute = "/a"\ncomponent = "x"\n[[trigger.http]]\nroute = "/a/..."\ncomponent = "x"\n[component.x]\nsource = "x.wasm"\n`;
  assert.deepEqual(parseManifest(text).app?.warnings, []);
});

test('unknown fields are warnings pointing at their line', () => {
  const text = `${HEAD}colour = "blue"\n[component.a]\nsource = "a.wasm"\nsorce = "typo.wasm"\n`;
  const { app } = parseManifest(text);
  assert.deepEqual(app?.warnings.map((w) => [w.code, w.field, w.line]), [
    ['unknown-field', 'application.colour', 4],
    ['unknown-field', 'component.a.sorce', 7],
  ]);
});

test('an unknown field a letter or two from a missing known one is an error naming it; beside the known one, a warning', () => {
  const typos = parseManifest(`${HEAD}[component.a]\nsorce = "a.wasm"\nallowed_outbound_host = ["https://example.com"]\nenviroment = { A = "1" }\n`);
  assert.equal(typos.app, undefined);
  assert.deepEqual(
    typos.diagnostics.filter((d) => d.code === 'unknown-field').map((d) => [d.severity, d.line, d.message]),
    [
      ['error', 5, 'unknown field `sorce`: did you mean `source`?'],
      ['error', 6, 'unknown field `allowed_outbound_host`: did you mean `allowed_outbound_hosts`?'],
      ['error', 7, 'unknown field `enviroment`: did you mean `environment`?'],
    ],
  );
  const beside = parseManifest(`${HEAD}[component.a]\nsource = "a.wasm"\nsoruce = "b.wasm"\nfrobs = 1\n`);
  assert.deepEqual(
    beside.app?.warnings.map((w) => w.message),
    ['unknown field `soruce` is ignored; did you mean `source`?', 'unknown field `frobs` is ignored'],
  );
  // Spin's own `components` of a trigger is no misspelt `component`.
  const reserved = parseManifest(`${HEAD}[[trigger.http]]\nroute = "/"\ncomponent = "a"\ncomponents = { middleware = ["m"] }\n[component.a]\nsource = "a.wasm"\n`);
  assert.deepEqual(reserved.app?.warnings.map((w) => w.message), ['`components` is not supported by Twirl and is ignored']);
});

test("Spin 1's fields in a version 2 manifest are errors saying what version 2 writes instead", () => {
  const text = `spin_manifest_version = 2\nname = "old"\n[application]\nname = "old"\n[component.a]\nid = "a"\nsource = "a.wasm"\nallowed_http_hosts = ["example.com"]\nconfig = { a = "b" }\n`;
  const { app, diagnostics } = parseManifest(text);
  assert.equal(app, undefined);
  assert.deepEqual(
    diagnostics.map((d) => [d.code, d.line, d.message]),
    [
      ['other-version-field', 2, '`name` is a Spin 1 field: version 2 puts it under `[application]`'],
      ['other-version-field', 6, "`id` is a Spin 1 field: in version 2 a component's id is its table's name (`[component.<id>]`)"],
      ['other-version-field', 8, '`allowed_http_hosts` is a Spin 1 field: version 2 names it `allowed_outbound_hosts`, each host with its scheme (`"https://example.com"`)'],
      ['other-version-field', 9, '`config` is a Spin 1 field: version 2 names it `variables`'],
    ],
  );
});

test('a route under /.well-known/spin/ is warned about: Spin answers those paths itself', () => {
  const { app } = parseManifest(`${HEAD}[[trigger.http]]\nroute = "/.well-known/spin/..."\ncomponent = "a"\n[[trigger.http]]\nroute = "/.well-known/spinner"\ncomponent = "a"\n[component.a]\nsource = "a.wasm"\n`);
  assert.deepEqual(app?.warnings.map((w) => [w.code, w.line, w.message]), [
    ['reserved-route', 5, 'routes under /.well-known/spin/ are answered by Spin (and Twirl) itself: this one never reaches component `a`'],
  ]);
});

test('a static response defaults to status 200 with no headers', () => {
  const app = loadManifest(`${HEAD}[[trigger.http]]\nroute = "/"\nstatic_response = { body = "ok" }\n`);
  assert.deepEqual(app.triggers[0]?.staticResponse, { status: 200, headers: {}, body: 'ok' });
  assert.equal(app.triggers[0]?.component, undefined);
});

test('the base path comes from [application.trigger.http]', () => {
  const app = loadManifest(`${HEAD}[application.trigger.http]\nbase = "/api"\n`);
  assert.equal(app.basePath, '/api');
});

test('a build command list runs each command in turn', () => {
  const app = loadManifest(`${HEAD}[component.a]\nsource = "a.wasm"\n[component.a.build]\ncommand = ["npm install", "npm run build"]\n`);
  assert.equal(app.components.a?.build?.command, 'npm install && npm run build');
});

test('non-http triggers are ignored with a warning', () => {
  const { app } = parseManifest(`${HEAD}[[trigger.redis]]\nchannel = "x"\ncomponent = "a"\n[component.a]\nsource = "a.wasm"\n`);
  assert.deepEqual(app?.warnings.map((w) => w.code), ['unsupported-trigger']);
  assert.deepEqual(app?.triggers, []);
});

test('a Spin 1 component id with underscores becomes kebab-case as Spin does', () => {
  const app = loadManifest('spin_version = "1"\nname = "x"\ntrigger = { type = "http" }\n[[component]]\nid = "My_Thing"\nsource = "a.wasm"\n[component.trigger]\nroute = "/"\n');
  assert.deepEqual(Object.keys(app.components), ['my-thing']);
});

test('environment keys like __proto__ are kept as data', () => {
  const app = loadManifest(`${HEAD}[component.a]\nsource = "a.wasm"\nenvironment = { "__proto__" = "x", constructor = "y" }\n`);
  const env = app.components.a?.environment ?? {};
  assert.equal(Object.getPrototypeOf(env), Object.prototype);
  assert.deepEqual(Object.entries(env), [['__proto__', 'x'], ['constructor', 'y']]);
});

test('Spin: executor = { type = "http" } is the standard executor and "spin" its alias', () => {
  for (const type of ['http', 'spin']) {
    const text = `${HEAD}[[trigger.http]]\nroute = "/"\ncomponent = "a"\nexecutor = { type = "${type}" }\n[component.a]\nsource = "a.wasm"\n`;
    const { app, diagnostics } = parseManifest(text, 'spin.toml');
    assert.deepEqual(diagnostics, [], type);
    assert.deepEqual(app?.triggers[0]?.executor, { type }, type);
  }
});
