// Retransmission mode end to end (issue 13): a message lost on the way and resent after its
// timeout, a duplicate the receiver drops, and a share link that reproduces a run. Driven
// only through the data-* hooks of docs/ui-hooks.md.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DESKTOP, PHONE, domText, pause, play, setField, setSpeed, sleep, startHarness, until, waitForApp } from './harness.mjs';

let harness;
before(async () => {
  harness = await startHarness();
});
after(async () => {
  await harness?.close();
});

const count = async (page, hook) => Number(await page.textContent(`[data-testid="${hook}"]`));

async function openMode(page, url) {
  await page.goto(`${url}#mode=retransmit`);
  await waitForApp(page);
  await page.locator('[data-testid="rt-sender"]').waitFor();
}

const panel = (page) =>
  domText(page, ['[data-testid="rt-pair"]', '[data-testid="sender-window"]', '[data-testid="receiver-window"]', '.rt-counters']);

test('the mode switch opens Retransmission: a sender, a receiver and their windows', async (t) => {
  await harness.withPage(t, PHONE, async ({ page, errors, url }) => {
    await page.goto(url);
    await waitForApp(page);
    await page.click('[data-action="mode-retransmit"]');
    await page.locator('[data-testid="rt-sender"]').waitFor();
    assert.equal(await page.locator('[data-testid="rt-receiver"]').count(), 1);
    assert.equal(await page.locator('[data-testid="sender-window"]').count(), 1);
    const scroll = await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);
    assert.ok(scroll, 'no sideways scrolling at 390x844');
    assert.deepEqual(errors, []);
  });
});

test('a message lost on the way is resent after its timeout and delivered', async (t) => {
  await harness.withPage(t, DESKTOP, async ({ page, errors, url }) => {
    await openMode(page, url);
    await setSpeed(page, -5);
    await play(page);
    let resentDrawn = 0;
    const lost = await until('a data message lost', async () => {
      resentDrawn += await page.locator('.msgs [data-type="DataResend"]').count();
      return page.getAttribute('[data-testid="rt-events"] [data-kind="lost-data"]', 'data-kind').catch(() => null);
    });
    assert.equal(lost, 'lost-data');
    await until('the lost message resent after its timeout', async () => {
      resentDrawn += await page.locator('.msgs [data-type="DataResend"]').count();
      return (await count(page, 'rt-retransmissions')) > 0 && resentDrawn > 0;
    });
    assert.ok(await count(page, 'rt-lost') > 0);
    // Every message reaches the application exactly once in the end.
    await setSpeed(page, 10);
    await until('all 40 messages delivered', async () => (await count(page, 'rt-delivered')) === 40, { timeout: 30_000 });
    assert.equal(await page.textContent('[data-testid="rt-delivered-through"]'), '40');
    assert.equal(await count(page, 'rt-violations'), 0);
    // The header's indicator watches this run's own safety properties.
    const safety = page.locator('[data-testid="safety"]');
    assert.equal(await safety.getAttribute('data-state'), 'ok');
    assert.match(await safety.getAttribute('title'), /No Duplicate Delivery.*In-Order Delivery/);
    assert.match(await safety.textContent(), /Both safety checks hold/);
    assert.deepEqual(errors, []);
  });
});

test('a duplicated message is dropped at the receiver, not delivered twice', async (t) => {
  await harness.withPage(t, DESKTOP, async ({ page, errors, url }) => {
    await openMode(page, url);
    await pause(page);
    await setField(page, 'rt-loss', 0);
    await setField(page, 'rt-dup', 50);
    assert.equal(await page.inputValue('[data-field="rt-dup"]'), '50');
    await setSpeed(page, 0);
    await play(page);
    await until('a duplicate dropped at the receiver', async () => (await count(page, 'rt-duplicates-dropped')) > 0);
    await page.locator('[data-testid="rt-events"] [data-kind="duplicate"]').first().waitFor();
    await setSpeed(page, 10);
    await until('all 40 messages delivered', async () => (await count(page, 'rt-delivered')) === 40, { timeout: 30_000 });
    assert.ok(await count(page, 'rt-duplicated') > 0);
    assert.equal(await count(page, 'rt-violations'), 0, 'no message delivered twice');
    // A setting the simulation refuses is named in a notice; the run on screen stays.
    await setField(page, 'rt-window', 0);
    assert.match(await page.textContent('[data-testid="notice"]'), /retransmit\.window/);
    await setField(page, 'rt-loss', 'lots');
    assert.match(await page.textContent('[data-testid="notice"]'), /lots/);
    assert.deepEqual(errors, []);
  });
});

test('a share link reproduces a retransmission run: settings, seed, a crash and its moment', async (t) => {
  await harness.withPage(t, DESKTOP, async ({ page, errors, url }) => {
    await openMode(page, url);
    await pause(page);
    await setField(page, 'rt-seed', 7);
    await setField(page, 'rt-loss', 20);
    await setSpeed(page, 0);
    await play(page);
    await until('some messages delivered', async () => (await count(page, 'rt-delivered')) >= 5);
    await page.click('[data-action="crash"][data-node="2"]');
    await sleep(300);
    await page.click('[data-action="restart"][data-node="2"]');
    await sleep(500);
    await pause(page);
    await sleep(200);
    const before = await panel(page);
    const clock = await page.textContent('[data-testid="sim-time"]');
    await page.click('[data-action="share"]');
    const link = await page.inputValue('[data-testid="share-url"]');
    assert.match(link, /#mode=retransmit&.*rt=1\./);
    await harness.withPage(t, DESKTOP, async ({ page: other, errors: otherErrors }) => {
      await other.goto(link);
      await waitForApp(other);
      await other.locator('[data-testid="rt-sender"]').waitFor();
      assert.ok(await other.locator('[data-action="play"]').count(), 'a shared moment opens paused');
      assert.equal(await other.inputValue('[data-field="rt-seed"]'), '7');
      assert.equal(await other.inputValue('[data-field="rt-loss"]'), '20');
      // The clock is written once the restored run's first frame is drawn: wait for it.
      await until('the shared moment shown', async () => (await other.textContent('[data-testid="sim-time"]')) === clock);
      assert.equal(await panel(other), before);
      assert.deepEqual(otherErrors, []);
    });
    assert.deepEqual(errors, []);
  });
});

test('the goodput chart is measured on request', async (t) => {
  await harness.withPage(t, DESKTOP, async ({ page, errors, url }) => {
    await openMode(page, url);
    await pause(page);
    await page.click('[data-action="rt-chart"]');
    await page.locator('[data-testid="rt-chart"]').waitFor();
    assert.equal(await page.locator('[data-testid="rt-chart"] circle').count(), 15);
    assert.deepEqual(errors, []);
  });
});

test('acting in the past of a retransmission run asks first, then forks it', async (t) => {
  await harness.withPage(t, DESKTOP, async ({ page, errors, url }) => {
    await openMode(page, url);
    for (let i = 0; i < 30; i += 1) await page.click('[data-action="step"]');
    await pause(page);
    // Back to the start of the recorded run: a crash now would change its future.
    await page.$eval('[data-testid="scrubber"]', (input) => {
      input.value = '0';
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await page.locator('[data-action="live"]').waitFor();
    await page.click('[data-action="crash"][data-node="2"]');
    await page.locator('[data-testid="fork-dialog"]').waitFor();
    assert.equal(await page.getAttribute('[data-testid="rt-receiver"]', 'data-up'), 'true', 'nothing happens before the learner confirms');
    await page.click('[data-action="fork-cancel"]');
    assert.equal(await page.locator('[data-testid="fork-dialog"]').count(), 0);
    await page.click('[data-action="crash"][data-node="2"]');
    await page.click('[data-action="fork-confirm"]');
    await until('the receiver is down', async () =>
      (await page.getAttribute('[data-testid="rt-receiver"]', 'data-up')) === 'false');
    assert.equal(await page.locator('[data-action="live"]').count(), 0, 'the forked run ends now');
    assert.deepEqual(errors, []);
  });
});
