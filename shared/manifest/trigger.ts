import { describe, isTable, own, readString, readStringMap, setOwn, warnUnknown, wrongType } from './fields.ts';
import type { Report } from './report.ts';
import { checkRoute } from './route.ts';
import type { FieldPath } from './source-map.ts';
import type { TomlTable } from './toml.ts';
import type { Executor, RouteConfig, StaticResponse } from './types.ts';

/** `route = "/path"` or `route = { private = true }`; undefined (with a diagnostic) otherwise. */
export function readRoute(report: Report, table: TomlTable, path: FieldPath): RouteConfig | undefined {
  const route = own(table, 'route');
  const at = [...path, 'route'];
  if (route === undefined) {
    report.error('invalid-route', at, 'trigger has no `route`: expected a path like "/hello/..." or { private = true }');
    return undefined;
  }
  if (typeof route === 'string') {
    const error = checkRoute(route);
    if (error) report.error('invalid-route', at, error);
    return error ? undefined : { path: route };
  }
  if (isTable(route) && own(route, 'private') === true && Object.keys(route).length === 1) return { private: true };
  report.error('invalid-route', at, `expected a path string or { private = true }, found ${describe(route)}`);
  return undefined;
}

export function readExecutor(report: Report, table: TomlTable, path: FieldPath): Executor | undefined {
  const executor = own(table, 'executor');
  if (executor === undefined) return undefined;
  const at = [...path, 'executor'];
  if (!isTable(executor)) {
    wrongType(report, at, '{ type = "http" } or { type = "wagi", ... }', executor);
    return undefined;
  }
  const type = own(executor, 'type');
  if (type === 'http' || type === 'spin') {
    warnUnknown(report, executor, ['type'], at);
    return { type };
  }
  if (type === 'wagi') {
    warnUnknown(report, executor, ['type', 'argv', 'entrypoint'], at);
    const wagi: Executor = { type: 'wagi' };
    const argv = readString(report, executor, 'argv', at);
    const entrypoint = readString(report, executor, 'entrypoint', at);
    if (argv !== undefined) wagi.argv = argv;
    if (entrypoint !== undefined) wagi.entrypoint = entrypoint;
    return wagi;
  }
  report.error('invalid-executor', [...at, 'type'], `expected executor type "http" (or its alias "spin") or "wagi", found ${typeof type === 'string' ? JSON.stringify(type) : describe(type)}`);
  return undefined;
}

/** Spin 3.x `static_response = { status_code, headers, body }`; status defaults to 200. */
export function readStaticResponse(report: Report, table: TomlTable, path: FieldPath): StaticResponse | undefined {
  const value = own(table, 'static_response');
  if (value === undefined) return undefined;
  const at = [...path, 'static_response'];
  if (!isTable(value)) {
    wrongType(report, at, 'a table { status_code, headers, body }', value);
    return undefined;
  }
  warnUnknown(report, value, ['status_code', 'headers', 'body'], at);
  const status = own(value, 'status_code') ?? 200;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) {
    report.error('invalid-type', [...at, 'status_code'], `expected an HTTP status from 100 to 599, found ${typeof status === 'number' ? status : describe(status)}`);
  }
  const headers: Record<string, string> = {};
  for (const [name, v] of Object.entries(readStringMap(report, value, 'headers', at))) setOwn(headers, name, v);
  const response: StaticResponse = { status: typeof status === 'number' ? status : 200, headers };
  const body = readString(report, value, 'body', at);
  if (body !== undefined) response.body = body;
  return response;
}
