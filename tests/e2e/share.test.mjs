// Sharing and classroom use end to end (issue 7): a share link reproduces what the learner
// sees, a hostile link is refused by name while the page keeps working, a reload restores the
// session, and `?embed=1` shows only the cluster and its playback bar.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DESKTOP,
  PHONE,
  crashedLeaderRun as someRun,
  leaderId,
  pause,
  setSpeed,
  settled,
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

test('a share link reproduces the same picture in a fresh browser', async (t) => {
  await harness.withPage(t, DESKTOP, async ({ page, errors, url }) => {
    await someRun(page, url);
    const before = await settled(page);
    await page.click('[data-action="share"]');
    const link = await page.inputValue('[data-testid="share-url"]');
    assert.match(link, /#mode=raft&.*t=\d+.*&run=1\./);
    assert.match(await page.inputValue('[data-testid="embed-code"]'), /^<iframe src=".*\?embed=1#/);
    assert.equal(page.url(), link, 'the address bar holds the link too');

    // Another browser context: no shared storage, only the link.
    await harness.withPage(t, DESKTOP, async ({ page: other, errors: otherErrors }) => {
      await other.goto(link);
      await waitForApp(other);
      assert.ok(await other.locator('[data-action="play"]').count(), 'a shared moment opens paused');
      assert.equal(await settled(other), before);
      assert.deepEqual(otherErrors, []);
    });
    assert.deepEqual(errors, []);
  });
});

test('a hostile link is refused by name and the page keeps working', async (t) => {
  await harness.withPage(t, PHONE, async ({ page, errors, url }) => {
    await page.goto(`${url}#t=soon&run=1.${'A'.repeat(40)}&tab=%3Cscript%3E&node=42`);
    await waitForApp(page);
    const notice = await page.textContent('[data-testid="notice"]');
    for (const named of ['"t"', 'run', '"tab"', 'node 42']) {
      assert.ok(notice.includes(named), `the notice names ${named}: ${notice}`);
    }
    // A working playground all the same: five nodes elect a leader.
    assert.equal(await page.locator('[data-node]').count(), 5);
    await setSpeed(page, 0);
    await until('a leader', () => leaderId(page));
    assert.deepEqual(errors, []);
  });
});

test('a reload brings the session back', async (t) => {
  await harness.withPage(t, DESKTOP, async ({ page, errors, url }) => {
    const crashed = await someRun(page, url);
    const before = await settled(page);
    await page.goto(url); // the bare address: no link, only local storage
    await waitForApp(page);
    assert.match(await page.textContent('[data-testid="notice"]'), /last session/);
    assert.equal(await page.getAttribute(`[data-node="${crashed}"]`, 'data-role'), 'crashed');
    await pause(page);
    assert.equal(await settled(page), before);
    assert.deepEqual(errors, []);
  });
});

test('?embed=1 shows the cluster and its playback bar only', async (t) => {
  await harness.withPage(t, { width: 480, height: 360 }, async ({ page, errors, url }) => {
    await page.goto(`${url}?embed=1`);
    await waitForApp(page);
    assert.equal(await page.locator('header').count(), 0, 'no page header');
    assert.equal(await page.locator('[data-action="share"]').count(), 0);
    assert.equal(await page.locator('[data-node]').count(), 5);
    await setSpeed(page, 0);
    await until('a leader', () => leaderId(page));
    const box = await page.$eval('.stage', (s) => s.getBoundingClientRect().toJSON());
    assert.ok(box.bottom <= 360 && box.right <= 480, `the cluster fits the frame: ${JSON.stringify(box)}`);
    assert.ok(await page.locator('[data-action="open-full"]').count());
    assert.deepEqual(errors, []);
  });
});

test('presentation mode: F turns it on, Esc off, and a link can ask for it', async (t) => {
  await harness.withPage(t, { width: 1024, height: 768 }, async ({ page, errors, url }) => {
    await page.goto(url);
    await waitForApp(page);
    const present = () => page.locator('.app.present').count();
    await page.keyboard.press('f');
    await until('presentation mode', async () => (await present()) === 1);
    const type = await page.$eval('[data-action="step"]', (b) => parseFloat(getComputedStyle(b).fontSize));
    assert.ok(type >= 18, `large type on a projector: ${type}px`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
    assert.ok(overflow <= 0, `no sideways scrolling at 1024 px: ${overflow}`);
    await page.keyboard.press('Escape');
    await until('back to normal', async () => (await present()) === 0);
    await page.goto('about:blank');
    await page.goto(`${url}#present=1`);
    await waitForApp(page);
    assert.equal(await present(), 1);
    assert.deepEqual(errors, []);
  });
});

const seekTo = (page, ms) =>
  page.$eval('[data-testid="scrubber"]', (input, v) => {
    input.value = String(v);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, ms);

test('a run exported as a scenario file opens again; a corrupt file is named and changes nothing', async (t) => {
  await harness.withPage(t, DESKTOP, async ({ page, errors, url }) => {
    await someRun(page, url);
    await page.click('[data-action="share"]');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('[data-action="export-file"]'),
    ]);
    const file = await download.path();
    const { readFile } = await import('node:fs/promises');
    const text = await readFile(file, 'utf8');
    assert.match(text, /"action": "crash"/);
    // A file holds the run, not a moment: compare the two pages at its last action (the
    // scrubber reaches that far in the page that opens the file).
    const lastMs = Math.floor(Math.max(...[...text.matchAll(/"at_us": (\d+)/g)].map((m) => Number(m[1]))) / 1000);
    await seekTo(page, lastMs);
    // The selection is the learner's, not the run's: a file does not carry it.
    await page.keyboard.press('Escape');
    const seen = await settled(page);

    // A corrupt file: named in the notice, the run on screen untouched.
    await page.setInputFiles('[data-action="import-file"]', {
      name: 'broken.json',
      mimeType: 'application/json',
      buffer: Buffer.from(text.slice(0, text.length / 2)),
    });
    await until('the notice', async () => /broken\.json/.test((await page.textContent('[data-testid="notice"]').catch(() => '')) ?? ''));
    assert.match(await page.textContent('[data-testid="notice"]'), /nothing changed/);
    assert.equal(await settled(page), seen);

    // The good file in a fresh page: the same run at the same moment.
    await harness.withPage(t, DESKTOP, async ({ page: other, errors: otherErrors }) => {
      await other.goto(url);
      await waitForApp(other);
      await other.click('[data-action="share"]');
      await other.setInputFiles('[data-action="import-file"]', file);
      await until('the file opened', async () => /Opened/.test((await other.textContent('[data-testid="notice"]').catch(() => '')) ?? ''));
      await seekTo(other, lastMs);
      assert.equal(await settled(other), seen);
      assert.deepEqual(otherErrors, []);
    });
    assert.deepEqual(errors, []);
  });
});
