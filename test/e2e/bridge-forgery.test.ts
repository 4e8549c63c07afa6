/**
 * An app's page shares its origin with the hidden bridge frame, so it can script that frame. It
 * still cannot speak for it: forged bridge messages, posted from the page, from inside the bridge
 * frame, or through a port stolen by patching the frame's prototypes, never reach the playground,
 * while the bridge's own messages still do.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { freshBrowser, type FreshBrowser } from '../../node/browser/chromium.ts';
import { expect } from '../../node/playground/expect.ts';
import { startPlayground, type Playground } from '../../node/playground/playground-server.ts';
import { openTab, previewShows } from '../../node/playground/playground-page.ts';

let playground: Playground;
let browser: FreshBrowser;

before(async () => {
  [playground, browser] = await Promise.all([startPlayground(), freshBrowser()]);
});

after(async () => {
  await browser?.close();
  await playground?.close();
});

/** What a hostile page of the app runs: every way it has to post as the bridge. Returns what it managed to do. */
async function forge(): Promise<string[]> {
  const done: string[] = [];
  const forgedEvent = (how: string) => ({ type: 'events', events: [{ type: 'request', method: 'GET', path: `/forged-${how}`, status: 200, ms: 1, time: Date.now() }] });
  // 1. Straight from the app's page.
  parent.postMessage(forgedEvent('page'), '*');
  done.push('posted from the page');
  // 2. From inside the bridge frame, which this page can script.
  let bridge: (Window & typeof globalThis) | undefined;
  for (let i = 0; i < parent.frames.length; i++) {
    try {
      const frame = parent.frames[i] as Window & typeof globalThis;
      if (frame.location.pathname === '/__twirl/frame.html') bridge = frame;
    } catch {
      // Another origin's frame (the playground's own).
    }
  }
  if (!bridge) return done;
  done.push('reached the bridge frame');
  new bridge.Function('message', 'parent.postMessage(message, "*")')(forgedEvent('bridge-window'));
  done.push('posted from the bridge frame');
  // 3. Patch the bridge's prototypes to catch its port the next time it is used, then post on it.
  let stolen: MessagePort | undefined;
  const steal = (port: MessagePort): void => {
    stolen = port;
  };
  const originalPost = bridge.MessagePort.prototype.postMessage;
  bridge.MessagePort.prototype.postMessage = function (this: MessagePort, ...args: unknown[]) {
    steal(this);
    return Reflect.apply(originalPost, this, args);
  } as typeof originalPost;
  const data = Object.getOwnPropertyDescriptor(bridge.MessageEvent.prototype, 'data')!;
  Object.defineProperty(bridge.MessageEvent.prototype, 'data', {
    get(this: MessageEvent) {
      if (this.target instanceof bridge!.MessagePort) steal(this.target);
      return data.get!.call(this);
    },
  });
  // A request of this page's makes the bridge relay its log event.
  await fetch('/provoke-a-bridge-event');
  const deadline = Date.now() + 5_000;
  while (!stolen && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (stolen) {
    stolen.postMessage(forgedEvent('stolen-port'));
    done.push('stole the port');
  }
  return done;
}

test('an app page cannot post forged bridge messages to the playground, by any route it has', async () => {
  const { page } = browser;
  await page.goto(playground.url);
  await previewShows(page, 'Hello, Fermyon!');
  const preview = page.frames().find((f) => /^http:\/\/[0-9a-f]{16}\.twirl\.localhost:/.test(f.url()) && !f.url().includes('/__twirl/'));
  assert.ok(preview, `no preview frame among ${page.frames().map((f) => f.url()).join(', ')}`);
  const done = await preview.evaluate(forge);
  assert.ok(done.includes('posted from the bridge frame'), `the page reached and scripted the bridge frame: ${done.join(', ')}`);
  assert.ok(!done.includes('stole the port'), 'patching the bridge frame never hands over its port');
  // The bridge's own messages still arrive: a request made after the attack is in the logs.
  await preview.evaluate(() => fetch('/after-the-attack').then(() => undefined));
  await openTab(page, 'Logs');
  const requests = page.locator('twirl-logs-panel details.request');
  await expect(requests.filter({ hasText: '/after-the-attack' }), 'the genuine request in the logs', (l) => l.innerText(), /after-the-attack/);
  const shown = (await requests.allInnerTexts()).join('\n');
  assert.match(shown, /\/provoke-a-bridge-event/);
  assert.doesNotMatch(shown, /forged/, 'no forged message reached the playground');
});
