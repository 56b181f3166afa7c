// The default page and the full page (docs/ARCHITECTURE.md, "Two pages from one crate"): the
// default page holds Raft and Log replay, and sends the learner to the full page (full/) for
// the rest, with the run; an address for the full page goes there before the default page's
// app starts.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DESKTOP, startHarness, until, waitForApp } from './harness.mjs';

let harness;
before(async () => {
  harness = await startHarness();
});
after(async () => {
  await harness?.close();
});

/** The mode switch's button of the mode on screen. */
const ACTIVE = (mode) => `[data-action="mode-${mode}"][aria-pressed="true"]`;

/** The app files (.wasm) the page requested, by folder: `{ default: n, full: n }`. */
function countWasm(page) {
  const seen = { default: 0, full: 0 };
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (path.endsWith('.wasm')) seen[path.includes('/full/') ? 'full' : 'default'] += 1;
  });
  return seen;
}

test('an address for another mode opens the full page before the default page starts its app', async (t) => {
  await harness.withPage(t, DESKTOP, async ({ page, errors, url }) => {
    const seen = countWasm(page);
    await page.goto(`${url}#mode=ring`);
    await page.waitForURL(/\/full\/#mode=ring$/);
    await waitForApp(page);
    await page.locator(ACTIVE('ring')).waitFor();
    // The browser's preload scanner may have started the default page's wasm before the
    // redirect ran; it is cancelled, and the default page's app never starts.
    assert.equal(seen.full, 1, 'the full page fetched its app once');
    assert.deepEqual(errors, []);
  });
});

test('pointing at another mode fetches the full page\'s app ahead, and the mode switch opens it', async (t) => {
  await harness.withPage(t, DESKTOP, async ({ page, errors, url }) => {
    const seen = countWasm(page);
    await page.goto(url);
    await waitForApp(page);
    assert.equal(seen.full, 0, 'nothing of the full page before the learner reaches for it');
    await page.hover('[data-action="mode-retransmit"]');
    await until('the full page app is fetched ahead', async () => seen.full === 1);
    await page.hover('[data-action="lessons"]');
    await page.waitForTimeout(300);
    assert.equal(seen.full, 1, 'fetched once per visit');
    await page.click('[data-action="mode-retransmit"]');
    await page.waitForURL(/\/full\/#mode=retransmit/);
    await waitForApp(page);
    await page.locator(ACTIVE('retransmit')).waitFor();
    assert.deepEqual(errors, []);
  });
});
