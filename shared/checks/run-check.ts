/** Runs a check against a live app: send its request, compare the answer and the key-value state. */
import type { Check, CheckResponse, CheckResult, CheckTarget, Expectation, Outcome } from './check.ts';
import { jsonMismatch } from './json-match.ts';

const MAX_SHOWN = 400;

export async function runCheck(check: Check, target: CheckTarget): Promise<CheckResult> {
  let response: CheckResponse;
  try {
    response = await target.send(check.request);
  } catch (err) {
    return { name: check.name, pass: false, outcomes: [], error: `the request failed: ${err instanceof Error ? err.message : String(err)}` };
  }
  const outcomes = [...responseOutcomes(check.expect, response), ...(await keyValueOutcomes(check.expect, target))];
  return { name: check.name, pass: outcomes.every((o) => o.pass), outcomes };
}

/** Runs checks one after another (a later one may read state an earlier one wrote). */
export async function runChecks(checks: readonly Check[], target: CheckTarget): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const check of checks) results.push(await runCheck(check, target));
  return results;
}

function responseOutcomes(expect: Expectation, response: CheckResponse): Outcome[] {
  const outcomes: Outcome[] = [];
  const text = new TextDecoder().decode(response.body);
  if (expect.status !== undefined) {
    outcomes.push({ subject: 'status', expected: String(expect.status), received: String(response.status), pass: response.status === expect.status });
  }
  for (const [name, wanted] of Object.entries(expect.headers ?? {})) {
    const values = response.headers.filter(([k]) => k.toLowerCase() === name.toLowerCase()).map(([, v]) => v);
    const received = values.join(', ');
    outcomes.push({
      subject: `header ${name.toLowerCase()}`,
      expected: `contains "${wanted}"`,
      received: values.length ? received : '(no such header)',
      pass: values.length > 0 && received.toLowerCase().includes(wanted.toLowerCase()),
    });
  }
  for (const wanted of expect.bodyContains ?? []) {
    outcomes.push({ subject: 'body contains', expected: JSON.stringify(wanted), received: shown(text), pass: text.includes(wanted) });
  }
  if (expect.json !== undefined) outcomes.push(jsonOutcome(expect.json, text));
  return outcomes;
}

function jsonOutcome(wanted: unknown, text: string): Outcome {
  const expected = JSON.stringify(wanted);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { subject: 'JSON', expected, received: `not JSON: ${shown(text)}`, pass: false };
  }
  const mismatch = jsonMismatch(wanted, parsed);
  return { subject: 'JSON', expected, received: mismatch ? `${shown(JSON.stringify(parsed))} (${mismatch})` : shown(JSON.stringify(parsed)), pass: mismatch === undefined };
}

async function keyValueOutcomes(expect: Expectation, target: CheckTarget): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const wanted of expect.keyValue ?? []) {
    const subject = `key-value ${wanted.store}/${wanted.key}`;
    const expected = wanted.absent ? '(no such key)' : wanted.value !== undefined ? JSON.stringify(wanted.value) : '(any value)';
    if (!target.readKeyValue) {
      outcomes.push({ subject, expected, received: 'key-value data cannot be read here', pass: false });
      continue;
    }
    let bytes: Uint8Array | undefined;
    try {
      bytes = await target.readKeyValue(wanted.store, wanted.key);
    } catch (err) {
      outcomes.push({ subject, expected, received: `could not read: ${err instanceof Error ? err.message : String(err)}`, pass: false });
      continue;
    }
    const value = bytes && new TextDecoder().decode(bytes);
    const received = value === undefined ? '(no such key)' : JSON.stringify(shown(value));
    const pass = wanted.absent ? value === undefined : value !== undefined && (wanted.value === undefined || value === wanted.value);
    outcomes.push({ subject, expected, received, pass });
  }
  return outcomes;
}

/** Long bodies are cut for display; the comparison always sees all of it. */
const shown = (text: string): string => (text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text) || '(empty)';
