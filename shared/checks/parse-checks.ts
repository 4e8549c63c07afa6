/**
 * Checks as authors write them (TOML in a lesson, JSON in saved assertions), validated into
 * `Check`s. Every problem names its field (`checks[1].expect.status`); the caller adds the file.
 *
 *   [[checks]]
 *   name = "GET /hello answers JSON"          # optional; defaults to "GET /hello"
 *   request = { method = "GET", path = "/hello", headers = { accept = "application/json" }, body = "" }
 *   expect.status = 201
 *   expect.headers = { "content-type" = "application/json" }
 *   expect.body_contains = "Hello"            # or a list, each must appear
 *   expect.json = { message = "Hello, Spin!" }
 *   expect.key_value = [{ store = "default", key = "count", value = "1" }]   # or absent = true
 */
import type { Check, CheckRequest, Expectation, KeyValueExpectation } from './check.ts';

export interface CheckProblem {
  /** Dotted path of the field, e.g. `checks[0].request.path`. */
  field: string;
  message: string;
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const EXPECT_FIELDS = new Set(['status', 'headers', 'body_contains', 'json', 'key_value']);

type Table = Record<string, unknown>;
const isTable = (v: unknown): v is Table => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses a list of checks found at `field` (e.g. `checks`). */
export function parseChecks(data: unknown, field = 'checks'): { checks: Check[]; problems: CheckProblem[] } {
  const problems: CheckProblem[] = [];
  if (data === undefined) return { checks: [], problems };
  if (!Array.isArray(data)) return { checks: [], problems: [{ field, message: 'must be a list of checks ([[checks]] tables)' }] };
  const checks = data.flatMap((item, i) => {
    const check = parseCheck(item, `${field}[${i}]`, problems);
    return check ? [check] : [];
  });
  return { checks, problems };
}

export function parseCheck(data: unknown, field: string, problems: CheckProblem[]): Check | undefined {
  const before = problems.length;
  if (!isTable(data)) {
    problems.push({ field, message: 'must be a table with `request` and `expect`' });
    return undefined;
  }
  for (const key of Object.keys(data)) if (!['name', 'request', 'expect'].includes(key)) problems.push({ field: `${field}.${key}`, message: 'unknown field (a check has name, request and expect)' });
  const request = parseRequest(data['request'], `${field}.request`, problems);
  const expect = parseExpectation(data['expect'], `${field}.expect`, problems);
  const name = optionalString(data['name'], `${field}.name`, problems);
  if (problems.length > before || !request || !expect) return undefined;
  return { name: name ?? `${request.method} ${request.path}`, request, expect };
}

function parseRequest(data: unknown, field: string, problems: CheckProblem[]): CheckRequest | undefined {
  if (!isTable(data)) {
    problems.push({ field, message: 'missing: the request to send, e.g. { method = "GET", path = "/" }' });
    return undefined;
  }
  const method = (optionalString(data['method'], `${field}.method`, problems) ?? 'GET').toUpperCase();
  if (!METHODS.has(method)) problems.push({ field: `${field}.method`, message: `unknown method "${method}" (one of ${[...METHODS].join(', ')})` });
  const path = data['path'];
  if (typeof path !== 'string' || !path.startsWith('/')) problems.push({ field: `${field}.path`, message: 'must be a path starting with "/"' });
  const headers = stringTable(data['headers'], `${field}.headers`, problems);
  const body = optionalString(data['body'], `${field}.body`, problems);
  if (body !== undefined && (method === 'GET' || method === 'HEAD')) problems.push({ field: `${field}.body`, message: `a ${method} request has no body` });
  for (const key of Object.keys(data)) if (!['method', 'path', 'headers', 'body'].includes(key)) problems.push({ field: `${field}.${key}`, message: 'unknown field (a request has method, path, headers and body)' });
  if (typeof path !== 'string') return undefined;
  return { method, path, headers: Object.entries(headers ?? {}), ...(body !== undefined ? { body } : {}) };
}

function parseExpectation(data: unknown, field: string, problems: CheckProblem[]): Expectation | undefined {
  if (!isTable(data) || Object.keys(data).length === 0) {
    problems.push({ field, message: 'missing: at least one of status, headers, body_contains, json, key_value' });
    return undefined;
  }
  for (const key of Object.keys(data)) if (!EXPECT_FIELDS.has(key)) problems.push({ field: `${field}.${key}`, message: `unknown expectation (one of ${[...EXPECT_FIELDS].join(', ')})` });
  const expect: Expectation = {};
  const status = data['status'];
  if (status !== undefined) {
    if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) problems.push({ field: `${field}.status`, message: 'must be an HTTP status, a whole number from 100 to 599' });
    else expect.status = status;
  }
  const headers = stringTable(data['headers'], `${field}.headers`, problems);
  if (headers) expect.headers = headers;
  const contains = data['body_contains'];
  if (contains !== undefined) {
    const list = typeof contains === 'string' ? [contains] : contains;
    if (!Array.isArray(list) || !list.every((t) => typeof t === 'string')) problems.push({ field: `${field}.body_contains`, message: 'must be a text or a list of texts' });
    else expect.bodyContains = list;
  }
  // A plain copy: TOML tables come with null prototypes, and the value is shipped as JSON.
  if (data['json'] !== undefined) expect.json = JSON.parse(JSON.stringify(data['json'])) as unknown;
  const keyValue = data['key_value'];
  if (keyValue !== undefined) {
    if (!Array.isArray(keyValue)) problems.push({ field: `${field}.key_value`, message: 'must be a list of { store, key, value } tables' });
    else expect.keyValue = keyValue.flatMap((item, i) => parseKeyValue(item, `${field}.key_value[${i}]`, problems) ?? []);
  }
  return expect;
}

function parseKeyValue(data: unknown, field: string, problems: CheckProblem[]): KeyValueExpectation | undefined {
  if (!isTable(data)) {
    problems.push({ field, message: 'must be a table: { store = "default", key = "...", value = "..." }' });
    return undefined;
  }
  const store = optionalString(data['store'], `${field}.store`, problems) ?? 'default';
  const key = data['key'];
  if (typeof key !== 'string' || key === '') problems.push({ field: `${field}.key`, message: 'must be a non-empty text' });
  const value = optionalString(data['value'], `${field}.value`, problems);
  const absent = data['absent'];
  if (absent !== undefined && typeof absent !== 'boolean') problems.push({ field: `${field}.absent`, message: 'must be true or false' });
  if (absent === true && value !== undefined) problems.push({ field: `${field}.absent`, message: 'a key cannot both be absent and have a value' });
  if (typeof key !== 'string' || key === '') return undefined;
  return { store, key, ...(value !== undefined ? { value } : {}), ...(absent === true ? { absent: true } : {}) };
}

function optionalString(value: unknown, field: string, problems: CheckProblem[]): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  problems.push({ field, message: 'must be a text (a quoted string)' });
  return undefined;
}

function stringTable(value: unknown, field: string, problems: CheckProblem[]): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (!isTable(value) || !Object.values(value).every((v) => typeof v === 'string')) {
    problems.push({ field, message: 'must be a table of texts, e.g. { "content-type" = "application/json" }' });
    return undefined;
  }
  return value as Record<string, string>;
}
