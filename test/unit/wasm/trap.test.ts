import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isTrap } from '../../../shared/wasm/trap.ts';
import { TwirlError } from '../../../shared/errors.ts';

/** A module exporting `f`, whose body is `unreachable`. */
const trapping = new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 7, 5, 1, 1, 102, 0, 0, 10, 5, 1, 3, 0, 0, 11])));

function trap(): unknown {
  try {
    (trapping.exports['f'] as () => void)();
  } catch (err) {
    return err;
  }
  throw new Error('the function did not trap');
}

test('a trap is a trap, also as the cause of an error that reports it', () => {
  const err = trap();
  assert.equal(isTrap(err), true);
  assert.equal(isTrap(new TwirlError('invalid-component', 'component: not a valid WebAssembly component', { cause: err })), true);
  assert.equal(isTrap(new Error('outer', { cause: new Error('middle', { cause: err }) })), true);
});

test('errors without a trap are not, nor are values that are not errors', () => {
  assert.equal(isTrap(new Error('a syntax error in the sources')), false);
  assert.equal(isTrap(new WebAssembly.CompileError('bad module')), false);
  assert.equal(isTrap(new RangeError('Maximum call stack size exceeded')), false);
  assert.equal(isTrap('unreachable'), false);
  assert.equal(isTrap(undefined), false);
});
