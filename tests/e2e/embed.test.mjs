// Documentation-page widgets end to end (issue 7, "Embedding in docs pages"): two
// `data-faultline` widgets on static/docs-example.html run independently, change nothing of
// the host page outside their elements, fetch only Faultline's own files, and sleep while
// scrolled out of view.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DESKTOP, sleep, startHarness, until } from './harness.mjs';

let harness;
before(async () => {
  harness = await startHarness();
});
after(async () => {
  await harness?.close();
});

/** The simulated time a widget shows, in seconds (Playwright's CSS selectors pierce shadow roots). */
const clockOf = async (page, widget) =>
  parseFloat(await page.locator(`#${widget} [data-testid="sim-time"]`).textContent());

const setSpeed = (page, widget, step) =>
  page.locator(`#${widget} [data-action="speed"]`).evaluate((input, v) => {
    input.value = String(v);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, step);

async function openDocsPage(page, url) {
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(`${url}docs-example.html`);
  await until('both widgets drawn', async () =>
    (await page.locator('#election [data-node]').count()) === 3 &&
    (await page.locator('#partition [data-node]').count()) === 5);
  return requests;
}

test('two widgets on one page run independently and leave the host page alone', async (t) => {
  // Tall enough for both widgets to be in view (out of view, a widget sleeps).
  await harness.withPage(t, { width: 1280, height: 1600 }, async ({ page, errors, url }) => {
    const requests = await openDocsPage(page, url);
    await setSpeed(page, 'election', 0);
    await setSpeed(page, 'partition', 0);
    await until('both clocks running', async () =>
      (await clockOf(page, 'election')) > 0.2 && (await clockOf(page, 'partition')) > 0.2);

    // Pausing one leaves the other running.
    await page.locator('#election [data-action="pause"]').click();
    await page.locator('#election [data-action="play"]').waitFor();
    // The clock is redrawn twice a second while playing: let the paused moment be drawn.
    await sleep(300);
    const paused = await clockOf(page, 'election');
    const running = await clockOf(page, 'partition');
    await sleep(600);
    assert.equal(await clockOf(page, 'election'), paused, 'the paused widget stays put');
    assert.ok((await clockOf(page, 'partition')) > running + 0.3, 'the other one runs on');

    // Keys go to the focused widget only: S (step, which pauses) in the second one leaves
    // the first one playing.
    await page.locator('#election [data-action="play"]').click();
    await page.locator('#partition [data-action="step"]').focus();
    await page.keyboard.press('s');
    await page.locator('#partition [data-action="play"]').waitFor();
    assert.equal(await page.locator('#election [data-action="pause"]').count(), 1);

    // The host page's own DOM is exactly its file: the widgets live in shadow roots.
    const same = await page.evaluate(async () => {
      const text = await (await fetch('docs-example.html')).text();
      const original = new DOMParser().parseFromString(text, 'text/html');
      return original.body.innerHTML === document.body.innerHTML;
    });
    assert.ok(same, 'the host page body is unchanged');
    assert.equal(await page.evaluate(() => localStorage.length), 0, 'nothing saved in the host\'s storage');
    const origin = new URL(url).origin;
    const foreign = requests.filter((r) => !r.startsWith(origin) && !r.startsWith('data:'));
    assert.deepEqual(foreign, [], 'only Faultline\'s own files are fetched');
    assert.deepEqual(errors, []);
  });
});

test('a Hash ring widget shows the ring and streams copies back after a kill, on its own', async (t) => {
  await harness.withPage(t, { width: 1280, height: 1600 }, async ({ page, errors, url }) => {
    await openDocsPage(page, url);
    await page.locator('#ring').scrollIntoViewIfNeeded();
    await until('the ring drawn', async () => (await page.locator('#ring [data-ring-node]').count()) === 8);
    assert.match(await page.locator('#ring .embed-foot').textContent(), /Hash ring · 8 nodes/);
    await setSpeed(page, 'ring', 0); // 1x: the crash is noticed after 1 s, the copies stream for seconds
    if (await page.locator('#ring [data-action="play"]').count()) await page.locator('#ring [data-action="play"]').click();
    await page.locator('#ring [data-ring-node="3"]').click();
    assert.equal(await page.locator('#ring [data-ring-node="3"]').getAttribute('aria-pressed'), 'true', 'a click selects');
    await page.locator('#ring [data-action="crash"]').click();
    assert.equal(await page.locator('#ring [data-ring-node="3"]').getAttribute('data-status'), 'crashed');
    const count = async (hook) => Number(await page.locator(`#ring [data-testid="${hook}"]`).textContent());
    await until('copies missing once the crash is noticed', async () => (await count('under-replicated')) > 0);
    await until('copies streamed back', async () => (await count('under-replicated')) === 0);
    assert.equal(await count('lost-keys'), 0);
    // The Raft widgets are untouched.
    assert.equal(await page.locator('#election [data-node]').count(), 3);
    assert.equal(await page.locator('#partition [data-node]').count(), 5);
    assert.deepEqual(errors, []);
  });
});

test('a widget scrolled out of view sleeps', async (t) => {
  await harness.withPage(t, { width: 900, height: 500 }, async ({ page, errors, url }) => {
    await openDocsPage(page, url);
    await setSpeed(page, 'election', 0); // real time: 1 s of simulation per second
    await page.locator('#election').scrollIntoViewIfNeeded();
    await until('the clock running', async () => (await clockOf(page, 'election')) > 0.3);
    const before = await clockOf(page, 'election');
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await sleep(2000);
    await page.locator('#election').scrollIntoViewIfNeeded();
    await sleep(250);
    const after = await clockOf(page, 'election');
    assert.ok(after - before < 1.2, `out of view for 2 s, the widget ran ${(after - before).toFixed(2)} s`);
    await until('the clock running again', async () => (await clockOf(page, 'election')) > after + 0.2);
    assert.deepEqual(errors, []);
  });
});

test('an unknown widget name is explained inside the widget', async (t) => {
  await harness.withPage(t, DESKTOP, async ({ page, errors, url }) => {
    // A host page of its own, with a misspelt name and a bad seed.
    await page.route(`${url}bad-widget.html`, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><link rel="icon" href="data:,"><div id="w" data-faultline="raft-electoin" data-seed="x"></div>
          <script type="module" src="./embed.js"></script>`,
      }));
    await page.goto(`${url}bad-widget.html`);
    await until('the widget', async () => (await page.locator('#w [data-node]').count()) === 5);
    const notice = await page.locator('#w [data-testid="notice"]').textContent();
    assert.match(notice, /data-seed/);
    assert.deepEqual(errors, []);
  });
});
