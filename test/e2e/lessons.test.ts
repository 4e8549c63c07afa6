/**
 * Lessons and request assertions in the playground: a reader works through the Spin quickstart
 * by editing each step's code in the editor, and watches each step's checks flip from failing
 * to passing; saved request assertions re-run with a pass/fail list.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { freshBrowser, type FreshBrowser } from '../../node/browser/chromium.ts';
import { readLesson } from '../../node/lessons/read-lesson.ts';
import { expect } from '../../node/playground/expect.ts';
import { startPlayground, type Playground } from '../../node/playground/playground-server.ts';
import { openTab, previewShows, replaceFileText, screenshot, sendRequest } from '../../node/playground/playground-page.ts';

let playground: Playground;
let browser: FreshBrowser;

before(async () => {
  process.env['TWIRL_PLAYGROUND_LESSONS'] = 'quickstart';
  [playground, browser] = await Promise.all([startPlayground(), freshBrowser()]);
});

after(async () => {
  await browser?.close();
  await playground?.close();
});

/** Building a step's component in the page takes a while on a busy machine. */
const BUILD_TIMEOUT = 180_000;

const panel = (page: Page): Locator => page.locator('twirl-lesson-panel');
const checksStatus = (page: Page): Locator => panel(page).getByLabel('Step checks').getByRole('status');
const checkStates = (page: Page): Promise<string[]> => panel(page).locator('li.check').evaluateAll((items) => items.map((i) => i.getAttribute('data-state') ?? ''));

// Four components are built in the page on the way: on a loaded machine that takes minutes.
test('a reader completes the quickstart by editing each step’s code, and each step’s checks flip to pass', { timeout: 1_200_000 }, async () => {
  const { page } = browser;
  const lesson = await readLesson('quickstart');
  await page.goto(`${playground.url}?lesson=quickstart`);
  for (const [index, step] of lesson.steps.entries()) {
    const heading = `Step ${index + 1} of ${lesson.steps.length}: ${step.title}`;
    await expect(panel(page).getByRole('heading', { level: 2 }), heading, (h) => h.innerText(), heading);
    // The file the step asks the reader to edit is the one shown (the manifest when it asks for several).
    const edited = Object.keys(step.solution);
    const shown = edited.length === 1 ? edited[0]! : 'spin.toml';
    await expect(page.locator('[role=treeitem][aria-selected="true"]'), `${step.id}: ${shown} open in the editor`, (item) => item.getAttribute('data-path').then(String), new RegExp(`^${shown.replaceAll('.', '\\.')}$`));
    if (step.checks.length === 0) {
      await panel(page).getByRole('button', { name: 'Mark as done' }).click();
      await expect(panel(page).locator('.done'), 'the end of the tutorial', (p) => p.innerText(), 'You finished the tutorial.');
      break;
    }
    const total = step.checks.length;
    // The start app is built in the page, runs, and is checked: something fails.
    await expect(checksStatus(page), `${step.id}: the start app checked`, (s) => s.innerText(), new RegExp(`^\\d+ of ${total} passing$`), BUILD_TIMEOUT);
    const before = await checkStates(page);
    assert.ok(before.includes('fail'), `${step.id}: the start app fails a check (${before.join(', ')})`);
    assert.equal(await panel(page).getByRole('button', { name: 'Next step' }).isDisabled(), true, `${step.id}: the next step waits`);
    if (index === 0) {
      await panel(page).getByRole('button', { name: /Show a hint/ }).click();
      await expect(panel(page).getByLabel('Hints'), 'the first hint', (h) => h.innerText(), 'Response.json(value)');
      await screenshot(page, 'lesson-in-progress');
    }
    if (step.id === 'outbound-http') await screenshot(page, 'lesson-check-failing-and-passing');
    const failing = panel(page).locator('li.check[data-state="fail"]').first();
    assert.match(await failing.innerText(), /Expected[^]*Received/, `${step.id}: a failing check shows what was expected and what came`);

    for (const [path, text] of Object.entries(step.solution)) await replaceFileText(page, path, () => text);
    await page.keyboard.press('ControlOrMeta+S');
    await expect(checksStatus(page), `${step.id}: every check passing`, (s) => s.innerText(), `${total} of ${total} passing`, BUILD_TIMEOUT);
    assert.deepEqual(await checkStates(page), Array(total).fill('pass'));
    if (index === 0) await screenshot(page, 'lesson-checks-passing');
    await panel(page).getByRole('button', { name: 'Next step' }).click();
  }
  const passed = await panel(page).locator('nav button.passed').count();
  assert.equal(passed, lesson.steps.length, 'every step is marked passed');
});

test('progress is kept for the reader: a reload returns to the step and its edited app', async () => {
  const { page } = browser;
  await page.reload();
  const last = `Step 7 of 7`;
  await expect(panel(page).getByRole('heading', { level: 2 }), 'the last step again', (h) => h.innerText(), last);
  await panel(page).getByRole('button', { name: /^1\b/ }).click();
  await expect(panel(page).getByRole('heading', { level: 2 }), 'the first step', (h) => h.innerText(), 'Step 1 of 7');
  // The reader's edited app, not the start: its checks pass at once.
  await expect(checksStatus(page), 'the edited first step, checked', (s) => s.innerText(), '3 of 3 passing', BUILD_TIMEOUT);
});

test('request assertions: saved with expectations, re-run together, pass and fail listed with what came', async () => {
  const { page } = browser;
  await page.goto(playground.url);
  await page.getByLabel('New from template').selectOption('http-js');
  await previewShows(page, 'Hello, Fermyon!', 60_000);
  await sendRequest(page, { path: '/hi' });
  const builder = page.locator('twirl-request-builder');
  await builder.getByLabel('Status').fill('200');
  await builder.getByLabel('Body contains').fill('path: /hi');
  await builder.getByLabel('Headers', { exact: true }).fill('content-type: text/plain');
  await builder.getByRole('button', { name: 'Save with expectations' }).click();
  await builder.getByLabel('Path').fill('/created');
  await builder.getByLabel('Status').fill('201');
  await builder.getByRole('button', { name: 'Save with expectations' }).click();
  await builder.getByLabel('Status').fill('teapot');
  await builder.getByRole('button', { name: 'Save with expectations' }).click();
  await expect(builder.getByLabel('Assertion problems'), 'a bad status refused', (p) => p.innerText(), 'expect.status: must be an HTTP status');

  await builder.getByRole('button', { name: 'Run all' }).click();
  const saved = builder.getByLabel('Saved assertions');
  await expect(builder.getByRole('status').last(), 'the assertions run', (s) => s.innerText(), '1 of 2 passing', 30_000);
  const states = await saved.locator('li.check').evaluateAll((items) => items.map((i) => i.getAttribute('data-state')));
  assert.deepEqual(states, ['pass', 'fail']);
  const failing = await saved.locator('li.check[data-state="fail"]').innerText();
  assert.match(failing, /GET \/created/);
  assert.match(failing, /status\s+201\s+200/);
  await screenshot(page, 'request-assertions');

  // Kept for the app: after a reload they run again.
  await page.reload();
  await previewShows(page, 'Hello, Fermyon!', 60_000);
  await openTab(page, 'Request');
  await builder.getByRole('button', { name: 'Run all' }).click();
  await expect(builder.getByRole('status').last(), 'the kept assertions run', (s) => s.innerText(), '1 of 2 passing', 30_000);
});
