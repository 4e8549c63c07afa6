/** Driving the playground's UI the way a user does: by role and label, through lit's shadow roots. */
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { expect } from './expect.ts';
import type { Frame, FrameLocator, Locator, Page } from 'playwright-core';

const screenshots = resolve(import.meta.dirname, '../../docs/screenshots');

export const previewFrame = (page: Page): FrameLocator => page.frameLocator('iframe[title="App preview"]');

/**
 * Stops every service worker of `page`'s browser, as the browser stops an idle one (or a restart
 * does), and waits until each one it knows of has stopped.
 */
export async function stopServiceWorkers(page: Page, timeout = 30_000): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const statuses = new Map<string, string>();
    cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
      for (const v of versions) statuses.set(v.versionId, v.runningStatus);
    });
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    await expect(statuses, 'the service workers to stop', async (known) => [...known.values()].join(' '), /^(stopped ?)+$/, timeout);
  } finally {
    await cdp.detach();
  }
}

/** The preview's bridge frame in `page`: the last one, when several apps were opened. */
export function bridgeFrame(page: Page): Frame {
  const bridge = page.frames().findLast((f) => f.url().includes('/__twirl/frame.html'));
  if (!bridge) throw new Error('no preview bridge frame');
  return bridge;
}

/** The app's own document in the preview (on the app's origin, outside `/__twirl/`), to run its fetches from. */
export function appDocumentFrame(page: Page): Frame {
  const frames = page.frames();
  const app = frames.find((f) => /^http:\/\/[0-9a-f]{16}\.twirl\.localhost:/.test(f.url()) && !f.url().includes('/__twirl/'));
  if (!app) throw new Error(`no app document among ${frames.map((f) => f.url()).join(', ')}`);
  return app;
}

/** Waits until the preview shows `text`. */
export async function previewShows(page: Page, text: string | RegExp, timeout = 30_000): Promise<void> {
  await expect(previewFrame(page).locator('body'), `the preview to show ${text}`, (body) => body.innerText(), text, timeout);
}

export async function chooseTemplate(page: Page, name: string): Promise<void> {
  await page.getByLabel('New from template').selectOption(name);
}

export async function openTab(page: Page, name: 'Preview' | 'Request' | 'Logs' | 'Key-value'): Promise<void> {
  await page.getByRole('tab', { name: new RegExp(`^${name}`) }).click();
}

export interface BuiltRequest {
  method?: string;
  path: string;
  headers?: string;
  body?: string;
}

/** Sends a request with the request builder; returns its response section. */
export async function sendRequest(page: Page, request: BuiltRequest): Promise<Locator> {
  await openTab(page, 'Request');
  const builder = page.locator('twirl-request-builder');
  await builder.getByLabel('Method').selectOption(request.method ?? 'GET');
  await builder.getByLabel('Path').fill(request.path);
  await builder.locator('textarea[name="headers"]').fill(request.headers ?? '');
  if (request.body !== undefined) await builder.locator('textarea[name="body"]').fill(request.body);
  await builder.getByRole('button', { name: 'Send' }).click();
  const response = builder.getByLabel('Response');
  await response.waitFor({ timeout: 30_000 });
  return response;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(screenshots, { recursive: true });
  await page.screenshot({ path: resolve(screenshots, `${name}.png`) });
}

/** The text of the open file in the editor (small files: CodeMirror renders only the lines in view). */
export const editorText = (page: Page): Promise<string> =>
  page.locator('twirl-app twirl-code-editor .cm-line').evaluateAll((lines) => lines.map((l) => l.textContent ?? '').join('\n'));

/** Opens `path` in the editor and replaces its whole text, as pasting would. */
export async function replaceFileText(page: Page, path: string, edit: (text: string) => string): Promise<string> {
  await page.locator(`twirl-file-tree li[data-path="${path}"]`).click();
  await expect(page.locator('twirl-app .file-title'), `${path} to open`, (t) => t.innerText(), path);
  const text = edit(await editorText(page));
  await page.locator('twirl-app twirl-code-editor .cm-content').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.insertText(text);
  assert.equal(await editorText(page), text, `the editor holds the new text of ${path}`);
  return text;
}
