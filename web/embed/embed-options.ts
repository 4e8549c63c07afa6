/**
 * What a docs author writes on `<twirl-playground>`, read into what the embed does: which files
 * show, which lines stay read-only, the request Run sends and what its response should be.
 */
import type { LineRange } from '../editor/locked-lines.ts';

/** `files="src/index.js, spin.toml"`: the tabs shown, in this order; none given shows every text file. */
export const listedFiles = (value: string | null): string[] =>
  (value ?? '')
    .split(/[\s,]+/)
    .map((p) => p.trim().replace(/^\.?\//, ''))
    .filter(Boolean);

/**
 * `readonly-lines="src/index.js:1-4,9 spin.toml:1-6"`: per file, its read-only lines (1-based,
 * inclusive; a single number is one line). Throws naming the part that is not of that form.
 */
export function lockedLineRanges(value: string | null): Map<string, LineRange[]> {
  const ranges = new Map<string, LineRange[]>();
  for (const part of (value ?? '').split(/\s+/).filter(Boolean)) {
    const match = part.match(/^(.+):([\d,-]+)$/);
    if (!match) throw new Error(`readonly-lines: "${part}" is not <file>:<lines>, as in src/index.js:1-4,9`);
    const list = match[2]!.split(',').filter(Boolean).map((span): LineRange => {
      const bounds = span.split('-').map(Number);
      const [first, last = first] = bounds;
      if (bounds.length > 2 || !first || !last || last < first) throw new Error(`readonly-lines: "${span}" in "${part}" is not a line or a range of lines`);
      return [first, last];
    });
    const path = match[1]!.replace(/^\.?\//, '');
    ranges.set(path, [...(ranges.get(path) ?? []), ...list]);
  }
  return ranges;
}

/** `headers="content-type: application/json; x-demo: 1"`. */
export function requestHeaders(value: string | null): Array<[string, string]> {
  return (value ?? '')
    .split(';')
    .map((h) => h.trim())
    .filter(Boolean)
    .map((h) => {
      const colon = h.indexOf(':');
      if (colon < 1) throw new Error(`headers: "${h}" is not <name>: <value>`);
      return [h.slice(0, colon).trim(), h.slice(colon + 1).trim()];
    });
}

/** What the response to Run should be: `expect-status="201"`, `expect-body="Hello"` (the body contains it). */
export interface Expectations {
  status?: number;
  bodyContains?: string;
}

export interface CheckResult {
  label: string;
  pass: boolean;
  seen: string;
}

export function readExpectations(status: string | null, body: string | null): Expectations {
  const expected: Expectations = {};
  if (status !== null && status !== '') {
    const code = Number(status);
    if (!Number.isInteger(code) || code < 100 || code > 599) throw new Error(`expect-status: "${status}" is not an HTTP status`);
    expected.status = code;
  }
  if (body) expected.bodyContains = body;
  return expected;
}

export function checkResponse(expected: Expectations, status: number, body: string): CheckResult[] {
  const checks: CheckResult[] = [];
  if (expected.status !== undefined) checks.push({ label: `status is ${expected.status}`, pass: status === expected.status, seen: String(status) });
  if (expected.bodyContains !== undefined) {
    checks.push({ label: `body contains “${expected.bodyContains}”`, pass: body.includes(expected.bodyContains), seen: body.length > 80 ? `${body.slice(0, 80)}…` : body });
  }
  return checks;
}
