// The interface in English and Simplified Chinese (issue 7): switching the language changes
// the words only, never the run (same moment, same selection, still paused); the choice is
// remembered and travels in share links; a browser set to Chinese starts in Chinese; a failed
// fetch of the Chinese text leaves the page in English and says so.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DESKTOP,
  PHONE,
  crashedLeaderRun,
  leaderId,
  setSpeed,
  settled,
  sleep,
  startHarness,
  until,
  waitForApp,
} from './harness.mjs';

let harness;
before(async () => {
  harness = await startHarness();
});
after(async () => {
  await harness?.close();
});

/**
 * The run as the page shows it, without its words: the clock, the playback state, the target,
 * the open panel, and every data-* hook of the cluster, the log table, the state machines, the
 * safety badge and the messages in flight.
 */
const runState = (page) =>
  page.evaluate(() => {
    const hooks = (el) =>
      [...el.attributes]
        .filter((a) => a.name.startsWith('data-') || a.name === 'aria-pressed' || a.name === 'transform')
        .map((a) => `${a.name}="${a.value}"`)
        .sort()
        .join(' ');
    const walk = (el) => `<${el.localName} ${hooks(el)}>${[...el.children].map(walk).join('')}</${el.localName}>`;
    const one = (s) => {
      const el = document.querySelector(s);
      return el ? walk(el) : '';
    };
    return [
      document.querySelector('[data-testid="sim-time"]').textContent,
      document.querySelector('[data-action="play"], [data-action="pause"]').dataset.action,
      one('[data-testid="target"]'),
      one('[role="tab"][aria-selected="true"]'),
      ...['svg.cluster', '.log-table', '.kv-table', '[data-testid="safety"]'].map(one),
      [...document.querySelectorAll('.msgs [data-msg]')].map((m) => `${m.dataset.msg}:${m.dataset.type}`).sort().join(' '),
    ].join('\n');
  });

const switchTo = async (page, lang) => {
  await page.click(`[data-action="lang"][data-lang="${lang}"]`);
  await page.locator(`[data-testid="lang-switch"][data-lang="${lang}"]`).waitFor();
};

test('switching to Chinese and back changes the words and nothing of the run', async (t) => {
  await harness.withPage(t, DESKTOP, async ({ page, errors, url }) => {
    const crashed = await crashedLeaderRun(page, url);
    const english = await settled(page);
    const run = await settled(page, runState);
    assert.match(await page.textContent('[data-action="play"]'), /Play/);
    assert.equal(await page.getAttribute('[data-action="lang"][data-lang="en"]', 'aria-pressed'), 'true');

    await switchTo(page, 'zh');
    assert.match(await page.textContent('[data-action="play"]'), /播放/);
    assert.match(await page.textContent('[data-action="step"]'), /单步/);
    assert.match(await page.textContent('[data-testid="safety"]'), /安全检查/);
    assert.match(await page.getAttribute(`[data-node="${crashed}"]`, 'aria-label'), /已崩溃/);
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-Hans');
    assert.equal(await page.getAttribute('[data-action="lang"][data-lang="zh"]', 'aria-pressed'), 'true');
    assert.equal(await settled(page, runState), run, 'the same run, moment, selection and playback state');
    await sleep(300);
    assert.equal(await runState(page), run, 'still paused in Chinese');

    await switchTo(page, 'en');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal(await settled(page), english, 'back in English: exactly the picture before the switch');

    // The moving layer still works in Chinese: the run plays on, messages fly, and it stops.
    await switchTo(page, 'zh');
    await page.click('[data-action="play"]');
    const clock = () => page.textContent('[data-testid="sim-time"]');
    const before = await clock();
    await until('the clock to move', async () => (await clock()) !== before);
    await until('messages in flight', () => page.locator('.msgs [data-msg]').count());
    await page.click('[data-action="pause"]');
    await page.locator('[data-action="play"]').waitFor();
    const moved = await settled(page, runState);
    await switchTo(page, 'en');
    assert.equal(await settled(page, runState), moved);
    assert.deepEqual(errors, []);
  });
});

test('the choice is remembered, and travels in a share link', async (t) => {
  await harness.withPage(t, PHONE, async ({ page, errors, url }) => {
    await page.goto(url);
    await waitForApp(page);
    await switchTo(page, 'zh');
    await page.reload();
    await waitForApp(page);
    await page.locator('[data-testid="lang-switch"][data-lang="zh"]').waitFor();
    assert.match(await page.textContent('[data-action="pause"], [data-action="play"]'), /暂停|播放/);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `no sideways scrolling on a phone in Chinese: ${overflow}`);
    await page.click('[data-action="share"]');
    const link = await page.inputValue('[data-testid="share-url"]');
    assert.match(link, /[#&]lang=zh&/);
    assert.deepEqual(errors, []);

    // Another browser, in English, opening the link: Chinese, because the link says so.
    await harness.withPage(t, DESKTOP, async ({ page: other, errors: otherErrors }) => {
      await other.goto(link);
      await waitForApp(other);
      await other.locator('[data-testid="lang-switch"][data-lang="zh"]').waitFor();
      assert.match(await other.textContent('[data-action="play"]'), /播放/);
      assert.deepEqual(otherErrors, []);
    });
  });
});

test('a browser set to Chinese starts in Chinese; one in English fetches nothing', async () => {
  for (const [locale, lang, word] of [['zh-CN', 'zh', /播放|暂停/], ['en-GB', 'en', /Play|Pause/]]) {
    const context = await harness.browser.newContext({ viewport: DESKTOP, locale });
    try {
      const page = await context.newPage();
      const fetched = [];
      const failed = [];
      // Requests of the page itself; an iframe in it is a page of its own.
      page.on('request', (r) => r.frame() === page.mainFrame() && fetched.push(r.url()));
      page.on('requestfailed', (r) => failed.push(r.url()));
      await page.goto(harness.url);
      await waitForApp(page);
      // The first picture is already in the browser's language: no English flash.
      assert.equal(await page.getAttribute('[data-testid="lang-switch"]', 'data-lang'), lang);
      assert.match(await page.textContent('[data-action="pause"], [data-action="play"]'), word);
      const catalogue = fetched.filter((u) => u.includes('/i18n/'));
      assert.equal(catalogue.length, lang === 'zh' ? 1 : 0, `${locale}: ${catalogue}`);
      assert.deepEqual(failed, []);

      // Widgets on a documentation page find the catalogue beside embed.js, once for all.
      fetched.length = 0;
      await page.goto(`${harness.subfolderUrl}docs-example.html`);
      await page.locator('[data-faultline-root] [data-node]').first().waitFor();
      await until('every widget in its language', async () => {
        const labels = await page.locator('[data-faultline-root] .toggle').allTextContents();
        return labels.length >= 2 && labels.every((l) => word.test(l));
      });
      const widgetCatalogue = fetched.filter((u) => u.includes('/i18n/'));
      assert.equal(widgetCatalogue.length, lang === 'zh' ? 1 : 0, `${locale}: ${widgetCatalogue}`);
      assert.deepEqual(failed, []);
    } finally {
      await context.close();
    }
  }
});

test('a failed fetch of the Chinese text leaves English and says so', async (t) => {
  await harness.withPage(t, DESKTOP, async ({ page, url }) => {
    await page.route('**/i18n/zh.txt', (route) => route.fulfill({ status: 404, body: 'gone' }));
    await page.goto(url);
    await waitForApp(page);
    await page.click('[data-action="lang"][data-lang="zh"]');
    const notice = await page.locator('[data-testid="notice"]').textContent();
    assert.match(notice, /Chinese text could not be loaded.*404/);
    assert.equal(await page.getAttribute('[data-action="lang"][data-lang="en"]', 'aria-pressed'), 'true');
    assert.match(await page.textContent('[data-action="pause"], [data-action="play"]'), /Play|Pause/);
    // The page keeps working.
    await setSpeed(page, 0);
    await until('a leader', () => leaderId(page));
  });
});
