/** Polling assertions over the page, with a message that says what was awaited and what was seen. */
import assert from 'node:assert/strict';
import { messageOf } from '../../shared/errors.ts';

/** Polls `read(target)` until it matches `want` (substring or pattern), or fails after `timeout` ms. */
export async function expect<T>(target: T, what: string, read: (target: T) => Promise<string>, want: string | RegExp, timeout = 15_000): Promise<string> {
  const deadline = Date.now() + timeout;
  let seen = '';
  for (;;) {
    try {
      seen = await read(target);
      if (typeof want === 'string' ? seen.includes(want) : want.test(seen)) return seen;
    } catch (err) {
      seen = `(not readable: ${messageOf(err).split('\n')[0]})`;
    }
    if (Date.now() > deadline) assert.fail(`waited ${timeout} ms for ${what}; last saw: ${JSON.stringify(seen.slice(0, 500))}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
