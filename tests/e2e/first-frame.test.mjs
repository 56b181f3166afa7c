// The default page's first frame (scripts/first-frame.mjs draws it into index.html at build
// time): it is on screen before the app has downloaded, it is exactly what the app shows at
// t = 0, and a visit it does not fit (an address, a saved session, Chinese) never sees it.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DESKTOP, DIST, PHONE, startHarness } from './harness.mjs';
import { FRAME_END, FRAME_HTML, FRAME_START, HOLD_CLOCKS } from '../../scripts/first-frame.mjs';

const FRAME = '[data-first-frame]';
const APP_NODE = '[data-node]:not([data-first-frame] *)';

let harness;
let shipped;
before(async () => {
  harness = await startHarness();
  const html = await readFile(join(DIST, 'index.html'), 'utf8');
  const start = html.indexOf(FRAME_START);
  const end = html.indexOf(FRAME_END);
  assert.ok(start >= 0 && end > start, 'dist/index.html holds no first frame');
  shipped = html.slice(start + FRAME_START.length, end);
});
after(async () => {
  await harness?.close();
});

/** Holds back the app's wasm, so that the page shows what it has without the app. */
const withoutApp = (page) => page.route('**/*.wasm', () => {});

test('the cluster is on screen before the app has downloaded, at both sizes', async (t) => {
  for (const viewport of [DESKTOP, PHONE]) {
    await harness.withPage(t, viewport, async ({ page }) => {
      await withoutApp(page);
      await page.goto(harness.url);
      const nodes = page.locator(`${FRAME} [data-node]`);
      assert.equal(await nodes.count(), 5);
      for (let i = 0; i < 5; i += 1) {
        const box = await nodes.nth(i).boundingBox();
        assert.ok(box && box.width > 0 && box.y + box.height <= viewport.height + 400, `node ${i} is drawn`);
      }
      assert.equal(await page.locator('#loading').isVisible(), false, 'the loading line is hidden');
      // Nothing in it pretends to work before the app does.
      assert.equal(await page.locator(`${FRAME}:not([inert])`).count(), 0, 'the frame is inert');
    });
  }
});

test('the shipped frame is exactly what the app shows at t = 0, and the app replaces it', async (t) => {
  await harness.withPage(t, DESKTOP, async ({ page, errors }) => {
    await page.addInitScript(HOLD_CLOCKS);
    await page.goto(harness.url);
    await page.waitForSelector(APP_NODE);
    await page.waitForTimeout(500);
    assert.equal(await page.locator(FRAME).count(), 0, 'the app removed the shipped frame');
    const drawn = await page.evaluate(FRAME_HTML);
    assert.equal(drawn, shipped, 'the app at t = 0 differs from the frame in index.html: rebuild');
    assert.deepEqual(errors, []);
  });
});

test('an address, a saved session or Chinese shows the loading line, not the first frame', async (t) => {
  const cases = [
    ['a shared run', '#mode=replay&t=0', null],
    ['an embedded view', '?embed=1', null],
    ['a saved session', '', () => localStorage.setItem('faultline.session', 'mode=raft')],
    ['a remembered Chinese', '', () => localStorage.setItem('faultline.lang', 'zh')],
  ];
  for (const [what, suffix, setup] of cases) {
    await harness.withPage(t, DESKTOP, async ({ page }) => {
      await withoutApp(page);
      if (setup) await page.addInitScript(setup);
      await page.goto(harness.url + suffix);
      assert.equal(await page.locator(FRAME).count(), 0, `${what}: no first frame`);
      assert.ok(await page.locator('#loading').isVisible(), `${what}: the loading line shows`);
    });
  }
  const context = await harness.browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
  try {
    const page = await context.newPage();
    await withoutApp(page);
    await page.goto(harness.url);
    assert.equal(await page.locator(FRAME).count(), 0, 'a Chinese browser: no first frame');
  } finally {
    await context.close();
  }
});
