import { checkComponentId, COMMON_COMPONENT_FIELDS, readComponentBody, readComponentVariables } from './component.ts';
import type { Draft, Origins } from './draft.ts';
import { isTable, own, readString, readStringList, readTable, setOwn, warnUnknown, wrongType } from './fields.ts';
import type { Report } from './report.ts';
import { checkBasePath } from './route.ts';
import type { TomlTable } from './toml.ts';
import { readExecutor, readRoute } from './trigger.ts';
import type { App, HttpTrigger } from './types.ts';
import { readVariableDeclarations } from './variable-declarations.ts';

const TOP_FIELDS = ['spin_version', 'spin_manifest_version', 'name', 'version', 'description', 'authors', 'trigger', 'variables', 'component'];
const COMPONENT_FIELDS = [...COMMON_COMPONENT_FIELDS, 'id', 'allowed_http_hosts', 'config', 'trigger'];

/** Reads a Spin 1 (`spin_version = "1"`) document into the same App as version 2. */
export function readManifestV1(report: Report, doc: TomlTable): Draft {
  warnUnknown(report, doc, TOP_FIELDS, []);
  const name = readString(report, doc, 'name', []);
  if (own(doc, 'name') === undefined) report.error('missing-field', ['name'], 'the manifest needs a top-level `name`');
  const origins: Origins = { components: {}, triggers: [], componentRefs: [], hostsField: 'allowed_http_hosts', variablesField: 'config' };
  const app: App = {
    name: name ?? '',
    variables: readVariableDeclarations(report, doc),
    triggers: [],
    components: {},
    warnings: [],
    basePath: readAppTrigger(report, doc),
  };
  const version = readString(report, doc, 'version', []);
  const description = readString(report, doc, 'description', []);
  if (version !== undefined) app.version = version;
  if (description !== undefined) app.description = description;
  readComponents(report, doc, app, origins);
  return { app, origins };
}

/** `trigger = { type = "http", base = "/" }`; returns the base path. */
function readAppTrigger(report: Report, doc: TomlTable): string {
  const trigger = readTable(report, doc, 'trigger', []);
  if (!trigger) {
    if (own(doc, 'trigger') === undefined) report.error('missing-field', ['trigger'], 'the manifest needs `trigger = { type = "http" }`');
    return '/';
  }
  warnUnknown(report, trigger, ['type', 'base'], ['trigger']);
  const type = readString(report, trigger, 'type', ['trigger']);
  if (type !== 'http' && type !== undefined) {
    report.error('unsupported-trigger', ['trigger', 'type'], `\`${type}\` triggers are not supported by Twirl; only "http"`);
  }
  const base = readString(report, trigger, 'base', ['trigger']) ?? '/';
  const error = checkBasePath(base);
  if (error) report.error('invalid-route', ['trigger', 'base'], error);
  return base;
}

function readComponents(report: Report, doc: TomlTable, app: App, origins: Origins): void {
  const list = own(doc, 'component');
  if (list === undefined) return;
  if (!Array.isArray(list)) {
    wrongType(report, ['component'], 'a list of `[[component]]` tables', list);
    return;
  }
  list.forEach((body, index) => {
    const path = ['component', index];
    if (!isTable(body)) {
      wrongType(report, path, 'a `[[component]]` table', body);
      return;
    }
    warnUnknown(report, body, COMPONENT_FIELDS, path);
    const id = readId(report, body, path);
    const component = readComponentBody(report, body, id ?? '', path, {
      allowedOutboundHosts: [
        ...readStringList(report, body, 'allowed_outbound_hosts', path),
        ...convertAllowedHttpHosts(readStringList(report, body, 'allowed_http_hosts', path)),
      ],
      variables: readComponentVariables(report, body, 'config', path),
    });
    const trigger = readComponentTrigger(report, body, app.triggers.length, path);
    if (id === undefined || !component) return;
    if (Object.hasOwn(app.components, id)) report.error('duplicate-component', [...path, 'id'], `component id \`${id}\` is used twice`);
    setOwn(app.components, id, component);
    origins.components[id] = path;
    if (!trigger) return;
    origins.triggers[trigger.index] = [...path, 'trigger'];
    trigger.component = id;
    app.triggers.push(trigger);
  });
}

/** Spin 1 ids were looser; Spin converts `My_Component` to `my-component`, and so do we. */
function readId(report: Report, body: TomlTable, path: (string | number)[]): string | undefined {
  const raw = readString(report, body, 'id', path);
  if (raw === undefined) {
    if (own(body, 'id') === undefined) report.error('missing-field', [...path, 'id'], '`[[component]]` needs an `id`');
    return undefined;
  }
  const id = checkComponentId(raw) ? raw.replaceAll('_', '-').toLowerCase() : raw;
  const error = checkComponentId(id);
  if (error) report.error('invalid-component-id', [...path, 'id'], error);
  return error ? undefined : id;
}

function readComponentTrigger(report: Report, body: TomlTable, index: number, path: (string | number)[]): HttpTrigger | undefined {
  const at = [...path, 'trigger'];
  const trigger = readTable(report, body, 'trigger', path);
  if (!trigger) {
    if (own(body, 'trigger') === undefined) report.error('invalid-route', [...at, 'route'], '`[component.trigger]` needs a `route`');
    return undefined;
  }
  warnUnknown(report, trigger, ['route', 'executor'], at);
  const route = readRoute(report, trigger, at);
  const executor = readExecutor(report, trigger, at);
  if (!route) return undefined;
  const result: HttpTrigger = { index, route };
  if (executor) result.executor = executor;
  const line = report.lineOf(at);
  if (line !== undefined) result.line = line;
  return result;
}

/**
 * Spin 1's `allowed_http_hosts` as outbound host patterns: a host (with optional port) allows
 * http and https to it, `self` the app itself, and `insecure:allow-all` everything.
 */
export function convertAllowedHttpHosts(hosts: string[]): string[] {
  if (hosts.includes('insecure:allow-all')) return ['*://*:*'];
  return hosts.flatMap((entry) => {
    const authority = entry.replace(/^[A-Za-z]+:\/\//, '').replace(/\/+$/, '');
    if (authority === 'self') return ['http://self'];
    return [`http://${authority}`, `https://${authority}`];
  });
}
