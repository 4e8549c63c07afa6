/** Request assertions the reader saved for an app, kept on this device (localStorage), as checks. */
import type { Check } from '../../shared/checks/check.ts';
import { parseCheck, type CheckProblem } from '../../shared/checks/parse-checks.ts';

const key = (appId: string): string => `twirl.assertions.${appId}`;

export function readAssertions(appId: string): Check[] {
  try {
    const stored = JSON.parse(localStorage.getItem(key(appId)) ?? '[]') as unknown;
    return Array.isArray(stored) ? (stored as Check[]) : [];
  } catch {
    return [];
  }
}

export const saveAssertions = (appId: string, checks: readonly Check[]): void => localStorage.setItem(key(appId), JSON.stringify(checks));

/** What the reader typed in the request builder's "Expect" fields. */
export interface ExpectationForm {
  status: string;
  bodyContains: string;
  /** `name: value`, one a line. */
  headers: string;
  json: string;
}

/**
 * A check from the builder's request and the reader's expectations, validated as a lesson's
 * checks are; problems name the field the reader filled in.
 */
export function assertionFrom(request: Check['request'], form: ExpectationForm): { check?: Check; problems: CheckProblem[] } {
  const problems: CheckProblem[] = [];
  const expect: Record<string, unknown> = {};
  if (form.status.trim()) expect['status'] = Number(form.status.trim());
  if (form.bodyContains) expect['body_contains'] = form.bodyContains;
  const headers = headerLines(form.headers);
  if (Object.keys(headers).length) expect['headers'] = headers;
  if (form.json.trim()) {
    try {
      expect['json'] = JSON.parse(form.json) as unknown;
    } catch (err) {
      problems.push({ field: 'expect.json', message: `not JSON: ${err instanceof Error ? err.message : String(err)}` });
    }
  }
  const data = {
    request: { method: request.method, path: request.path, headers: Object.fromEntries(request.headers), ...(request.body !== undefined ? { body: request.body } : {}) },
    expect,
  };
  const check = parseCheck(data, 'assertion', problems);
  return check && problems.length === 0 ? { check, problems } : { problems };
}

function headerLines(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const at = line.indexOf(':');
    if (at > 0) headers[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return headers;
}
