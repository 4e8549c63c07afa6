/**
 * Whether a JSON value holds what a check expects: objects match as subsets (extra fields are
 * fine), arrays and scalars exactly. Returns where it first differs, or undefined on a match.
 */
export function jsonMismatch(expected: unknown, actual: unknown, at = '$'): string | undefined {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${at} is not a list`;
    if (actual.length !== expected.length) return `${at} has ${actual.length} items, not ${expected.length}`;
    for (let i = 0; i < expected.length; i++) {
      const inner = jsonMismatch(expected[i], actual[i], `${at}[${i}]`);
      if (inner) return inner;
    }
    return undefined;
  }
  if (typeof expected === 'object' && expected !== null) {
    if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) return `${at} is not an object`;
    for (const [key, value] of Object.entries(expected)) {
      if (!(key in actual)) return `${at}.${key} is missing`;
      const inner = jsonMismatch(value, (actual as Record<string, unknown>)[key], `${at}.${key}`);
      if (inner) return inner;
    }
    return undefined;
  }
  return Object.is(expected, actual) ? undefined : `${at} is ${JSON.stringify(actual)}`;
}
