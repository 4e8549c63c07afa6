/** The playground and the docs embed for every reader, in Chromium: a phone's width, dark colours, the keyboard, axe-core. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { freshBrowser, type FreshBrowser } from '../../node/browser/chromium.ts';
import { seriousAxeProblems } from '../../node/playground/accessibility.ts';
import { expect } from '../../node/playground/expect.ts';
import { startPlayground, type Playground } from '../../node/playground/playground-server.ts';
import { previewShows, screenshot } from '../../node/playground/playground-page.ts';

let playground: Playground;
let browser: FreshBrowser;

before(async () => {
  [playground, browser] = await Promise.all([startPlayground(), freshBrowser()]);
});

after(async () => {
  await browser?.close();
  await playground?.close();
});

interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

const boxOf = (page: Page, selector: string): Promise<Box> =>
  page.locator(selector).first().evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
  });

const overlaps = (a: Box, b: Box): boolean => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

/** The focused element, through shadow roots: tag, role and accessible name as a reader hears it. */
const focused = (page: Page): Promise<string> =>
  page.evaluate(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    if (!el) return '';
    const label = el.closest('label');
    const name = el.getAttribute('aria-label') ?? (label?.textContent ?? el.textContent ?? '').trim();
    return `${el.tagName.toLowerCase()}${el.getAttribute('role') ? `[${el.getAttribute('role')}]` : ''} ${name}`;
  });

test('at a phone’s width the playground scrolls only down, and the editor, preview and every tab are reachable', async () => {
  const { page } = browser;
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(playground.url);
  await previewShows(page, 'Hello, Fermyon!');
  const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, view: window.innerWidth }));
  assert.ok(widths.page <= widths.view, `the page is ${widths.page} px wide in a ${widths.view} px window`);
  await page.locator('twirl-app twirl-code-editor .cm-content').scrollIntoViewIfNeeded();
  assert.ok(await page.locator('twirl-app twirl-code-editor .cm-content').isVisible(), 'the editor is visible');
  const title = await boxOf(page, 'twirl-app .file-title');
  for (const tab of await page.getByRole('tab').all()) {
    await tab.scrollIntoViewIfNeeded();
    const box = await tab.evaluate((el) => el.getBoundingClientRect().toJSON() as Box);
    assert.ok(box.left >= 0 && box.right <= widths.view, `the tab “${await tab.innerText()}” is inside the window (${box.left}–${box.right})`);
  }
  assert.ok(!overlaps(title, await boxOf(page, 'twirl-app .tabs')), 'the file title does not overlap the tabs');
  const frame = page.locator('iframe[title="App preview"]');
  await frame.scrollIntoViewIfNeeded();
  const preview = await frame.evaluate((el) => el.getBoundingClientRect().toJSON() as Box);
  assert.ok(preview.right - preview.left >= 300 && preview.bottom - preview.top >= 200, `the preview is big enough to use: ${JSON.stringify(preview)}`);
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, 'playground-phone');
  await page.getByRole('tab', { name: 'Request' }).click();
  await page.locator('twirl-request-builder').getByRole('button', { name: 'Send' }).scrollIntoViewIfNeeded();
  assert.ok(await page.locator('twirl-request-builder').getByRole('button', { name: 'Send' }).isVisible(), 'the request builder is usable');
  await page.getByRole('tab', { name: 'Preview' }).click();
});

test('the playground follows the system’s dark colours, and its toggle overrides them across a reload', async () => {
  const { page } = browser;
  const background = () => page.locator('twirl-app').evaluate((el) => getComputedStyle(el).backgroundColor);
  const editorBackground = () => page.locator('twirl-app .cm-gutters').evaluate((el) => getComputedStyle(el).backgroundColor);
  const isDarkColour = (rgb: string) => {
    const [r = 255, g = 255, b = 255] = (rgb.match(/\d+/g) ?? []).map(Number);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b < 80;
  };
  await page.setViewportSize({ width: 1400, height: 860 });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(playground.url);
  await previewShows(page, 'Hello, Fermyon!');
  assert.ok(isDarkColour(await background()), `dark system colours give a dark page, saw ${await background()}`);
  assert.ok(isDarkColour(await editorBackground()), `and a dark editor, saw ${await editorBackground()}`);
  const toggle = page.getByRole('button', { name: 'Dark' });
  assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
  await screenshot(page, 'playground-dark');
  await toggle.click();
  assert.ok(!isDarkColour(await background()), 'the toggle turns it light');
  await page.reload();
  await page.locator('twirl-app .cm-editor').waitFor();
  assert.ok(!isDarkColour(await background()), 'the choice survives a reload');
  assert.ok(!isDarkColour(await editorBackground()), 'the editor is light too');
  await page.emulateMedia({ colorScheme: 'light' });
  await page.getByRole('button', { name: 'Dark' }).click();
  assert.ok(isDarkColour(await background()), 'and turns it dark against light system colours');
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, 'playground-phone-dark');
  await page.setViewportSize({ width: 1400, height: 860 });
  await page.getByRole('button', { name: 'Dark' }).click();
});

test('every control is reached by Tab and named; files move with the arrow keys and show their delete button on focus', async () => {
  const { page } = browser;
  await page.goto(playground.url);
  await previewShows(page, 'Hello, Fermyon!');
  await page.locator('body').click({ position: { x: 1, y: 1 } });
  const seen: string[] = [];
  for (let i = 0; i < 40 && !seen.some((s) => s.startsWith('div[textbox]')); i++) {
    await page.keyboard.press('Tab');
    seen.push(await focused(page));
  }
  for (const want of [/^select App/, /^select New from template/, /^button Run/, /^input Upload/, /^input Open zip/, /^input Open folder/, /^button Share/, /^button Dark/, /^li\[treeitem\] spin\.toml/, /^div\[textbox\] Edit spin\.toml/]) {
    assert.ok(seen.some((s) => want.test(s)), `Tab reaches ${want}; it reached: ${seen.join(' | ')}`);
  }
  assert.deepEqual(seen.filter((s) => !/\S+ \S/.test(s)), [], 'every control Tab reaches has a name');

  const tree = page.locator('twirl-file-tree');
  await tree.locator('li[data-path="spin.toml"]').focus();
  const outline = await tree.locator('li[data-path="spin.toml"]').evaluate((el) => getComputedStyle(el).outlineStyle);
  assert.notEqual(outline, 'none', 'a focused file shows its focus');
  await page.keyboard.press('ArrowDown');
  const next = await focused(page);
  assert.match(next, /^li\[treeitem\] (?!spin\.toml)/, 'ArrowDown moves to the next file');
  const path = await page.evaluate(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return (el as HTMLElement | null)?.dataset['path'] ?? '';
  });
  await page.keyboard.press('Enter');
  await expect(page.locator('twirl-app .file-title'), `${path} to open`, (t) => t.innerText(), path);
  await page.keyboard.press('Tab');
  assert.match(await focused(page), new RegExp(`^button Delete ${path.replace(/\./g, '\\.')}`), 'Tab goes on to the file’s delete button');
  const opacity = await tree.locator(`li[data-path="${path}"] button`).evaluate((el) => getComputedStyle(el).opacity);
  assert.equal(opacity, '1', 'the focused delete button is visible');
  await page.keyboard.press('Home');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Home');
  assert.match(await focused(page), /^li\[treeitem\] spin\.toml/, 'Home goes to the first file');
});

test('axe-core finds no serious or critical problem in the playground, light or dark, wide or narrow', async () => {
  const { page } = browser;
  for (const [colorScheme, width] of [['light', 1400], ['dark', 390]] as const) {
    await page.emulateMedia({ colorScheme });
    await page.setViewportSize({ width, height: 860 });
    await page.goto(playground.url);
    await previewShows(page, 'Hello, Fermyon!');
    for (const tab of ['Preview', 'Request', 'Key-value']) {
      await page.getByRole('tab', { name: tab }).click();
      assert.deepEqual(await seriousAxeProblems(page), [], `${colorScheme}, ${width} px, ${tab} tab`);
    }
  }
});

test('axe-core finds no serious or critical problem on the docs page, light or dark; the embed fits a phone', async () => {
  const { page } = browser;
  for (const [colorScheme, width] of [['light', 1400], ['dark', 390]] as const) {
    await page.emulateMedia({ colorScheme });
    await page.setViewportSize({ width, height: 844 });
    await page.goto(new URL('docs.html', playground.url).href);
    const hello = page.locator('twirl-playground#hello');
    await hello.getByRole('button', { name: 'Run', exact: true }).click();
    await expect(hello.getByLabel('Result'), 'the response', (r) => r.innerText(), /200/, 30_000);
    assert.deepEqual(await seriousAxeProblems(page), [], `docs page, ${colorScheme}, ${width} px`);
    const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, view: window.innerWidth }));
    assert.ok(widths.page <= widths.view, `the docs page is ${widths.page} px wide in a ${widths.view} px window`);
  }
  await screenshot(page, 'docs-embed-phone-dark');
  await page.emulateMedia({ colorScheme: 'light' });
});
