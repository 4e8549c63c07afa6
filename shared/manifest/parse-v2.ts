import { checkComponentId, COMMON_COMPONENT_FIELDS, readComponentBody, readComponentVariables } from './component.ts';
import type { Draft, Origins } from './draft.ts';
import { isTable, own, readString, readStringList, readTable, setOwn, warnUnknown, wrongType } from './fields.ts';
import type { Report } from './report.ts';
import { checkBasePath } from './route.ts';
import type { TomlTable } from './toml.ts';
import { readExecutor, readRoute, readStaticResponse } from './trigger.ts';
import type { App, ComponentConfig, HttpTrigger } from './types.ts';
import { readVariableDeclarations } from './variable-declarations.ts';

const TOP_FIELDS = ['spin_manifest_version', 'application', 'variables', 'trigger', 'component'];
const APPLICATION_FIELDS = ['name', 'version', 'description', 'authors', 'trigger', 'targets', 'tool'];
const TRIGGER_FIELDS = ['id', 'route', 'component', 'executor', 'static_response'];
/** Spin reserves `components` (several per trigger, e.g. middleware) for what Twirl does not run. */
const SPIN_ONLY_TRIGGER_FIELDS = ['components'];
const COMPONENT_FIELDS = [...COMMON_COMPONENT_FIELDS, 'variables', 'tool', 'dependencies', 'dependencies_inherit_configuration'];
/** Spin 1's fields, as a manifest moved to version 2 may still have them. */
const UNDER_APPLICATION = 'is a Spin 1 field: version 2 puts it under `[application]`';
const SPIN1_TOP_FIELDS = { name: UNDER_APPLICATION, version: UNDER_APPLICATION, description: UNDER_APPLICATION, authors: UNDER_APPLICATION };
const SPIN1_COMPONENT_FIELDS = {
  allowed_http_hosts: 'is a Spin 1 field: version 2 names it `allowed_outbound_hosts`, each host with its scheme (`"https://example.com"`)',
  config: 'is a Spin 1 field: version 2 names it `variables`',
  id: "is a Spin 1 field: in version 2 a component's id is its table's name (`[component.<id>]`)",
  trigger: 'is a Spin 1 field: in version 2 a route is a `[[trigger.http]]` with `route` and `component`',
};

/** Reads a `spin_manifest_version = 2` document. */
export function readManifestV2(report: Report, doc: TomlTable): Draft {
  warnUnknown(report, doc, TOP_FIELDS, [], { renamed: SPIN1_TOP_FIELDS });
  const application = readTable(report, doc, 'application', []) ?? {};
  warnUnknown(report, application, APPLICATION_FIELDS, ['application']);
  const name = readString(report, application, 'name', ['application']);
  if (name === undefined && own(application, 'name') === undefined) {
    report.error('missing-field', ['application', 'name'], '`[application]` needs a `name`');
  }
  const origins: Origins = { components: {}, triggers: [], componentRefs: [], hostsField: 'allowed_outbound_hosts', variablesField: 'variables' };
  const app: App = {
    name: name ?? '',
    variables: readVariableDeclarations(report, doc),
    triggers: [],
    components: readComponents(report, doc, origins),
    warnings: [],
    basePath: readBasePath(report, application),
  };
  const version = readString(report, application, 'version', ['application']);
  const description = readString(report, application, 'description', ['application']);
  if (version !== undefined) app.version = version;
  if (description !== undefined) app.description = description;
  app.triggers = readTriggers(report, doc, origins);
  return { app, origins };
}

function readBasePath(report: Report, application: TomlTable): string {
  const triggers = readTable(report, application, 'trigger', ['application']);
  const http = triggers && readTable(report, triggers, 'http', ['application', 'trigger']);
  const at = ['application', 'trigger', 'http'];
  if (!http) return '/';
  warnUnknown(report, http, ['base'], at);
  const base = readString(report, http, 'base', at) ?? '/';
  const error = checkBasePath(base);
  if (error) report.error('invalid-route', [...at, 'base'], error);
  return base;
}

function readComponents(report: Report, doc: TomlTable, origins: Origins): Record<string, ComponentConfig> {
  const components: Record<string, ComponentConfig> = {};
  const table = readTable(report, doc, 'component', []);
  for (const [id, body] of Object.entries(table ?? {})) {
    const path = ['component', id];
    const idError = checkComponentId(id);
    if (idError) report.error('invalid-component-id', path, idError);
    if (!isTable(body)) {
      wrongType(report, path, 'a table `[component.<id>]`', body);
      continue;
    }
    warnUnknown(report, body, COMPONENT_FIELDS, path, { renamed: SPIN1_COMPONENT_FIELDS });
    if (own(body, 'dependencies') !== undefined) {
      report.warn('unsupported-field', [...path, 'dependencies'], 'component dependencies are not supported by Twirl yet and are ignored');
    }
    const component = readComponentBody(report, body, id, path, {
      allowedOutboundHosts: readStringList(report, body, 'allowed_outbound_hosts', path),
      variables: readComponentVariables(report, body, 'variables', path),
    });
    // Declared, even if broken: a trigger naming it should not also be told it does not exist.
    setOwn(origins.components, id, path);
    if (component && !idError) setOwn(components, id, component);
  }
  return components;
}

function readTriggers(report: Report, doc: TomlTable, origins: Origins): HttpTrigger[] {
  const table = readTable(report, doc, 'trigger', []);
  if (!table) return [];
  for (const type of Object.keys(table)) {
    if (type !== 'http') report.warn('unsupported-trigger', ['trigger', type], `\`${type}\` triggers are not supported by Twirl and are ignored`);
  }
  const list = own(table, 'http');
  if (list === undefined) return [];
  if (!Array.isArray(list)) {
    wrongType(report, ['trigger', 'http'], 'a list of `[[trigger.http]]` tables', list);
    return [];
  }
  const triggers: HttpTrigger[] = [];
  list.forEach((entry, index) => {
    const path = ['trigger', 'http', index];
    origins.triggers[index] = path;
    if (!isTable(entry)) {
      wrongType(report, path, 'a `[[trigger.http]]` table', entry);
      return;
    }
    const component = own(entry, 'component');
    if (typeof component === 'string') origins.componentRefs.push({ id: component, path: [...path, 'component'] });
    const trigger = readTrigger(report, entry, index, path);
    if (trigger) triggers.push(trigger);
  });
  return triggers;
}

function readTrigger(report: Report, entry: TomlTable, index: number, path: (string | number)[]): HttpTrigger | undefined {
  warnUnknown(report, entry, TRIGGER_FIELDS, path, { spinOnly: SPIN_ONLY_TRIGGER_FIELDS });
  const route = readRoute(report, entry, path);
  const staticResponse = readStaticResponse(report, entry, path);
  const executor = readExecutor(report, entry, path);
  const component = own(entry, 'component');
  const line = report.lineOf(path);
  if (isTable(component)) {
    report.error('unsupported-inline-component', [...path, 'component'], 'inline component tables are not supported: declare `[component.<id>]` and set `component = "<id>"`');
    return undefined;
  }
  if (component !== undefined && typeof component !== 'string') {
    wrongType(report, [...path, 'component'], 'a component id string', component);
    return undefined;
  }
  if (component !== undefined && staticResponse) {
    report.error('conflicting-fields', [...path, 'static_response'], 'a trigger has either `component` or `static_response`, not both');
  }
  if (component === undefined && own(entry, 'static_response') === undefined) {
    report.error('missing-component', path, 'trigger has neither `component = "<id>"` nor `static_response`');
  }
  if (!route) return undefined;
  const trigger: HttpTrigger = { index, route };
  if (component !== undefined) trigger.component = component;
  if (staticResponse) trigger.staticResponse = staticResponse;
  if (executor) trigger.executor = executor;
  if (line !== undefined) trigger.line = line;
  return trigger;
}
