import { test } from 'node:test';
import assert from 'node:assert/strict';
import { unlockedSteps } from '../../../web/app/lesson-progress.ts';

const steps = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];

test('steps open up to the first one not passed, in order', () => {
  assert.equal(unlockedSteps(steps, []), 1);
  assert.equal(unlockedSteps(steps, ['a']), 2);
  // Passing a later step (an older lesson's progress) opens nothing past an unpassed one.
  assert.equal(unlockedSteps(steps, ['a', 'c']), 2);
  assert.equal(unlockedSteps(steps, ['a', 'b', 'c']), 3);
});
