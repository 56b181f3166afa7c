// Paxos mode end to end (issue 16): a value chosen and learned by every learner; two dueling
// proposers pre-empting each other until randomized retry ends it; Multi-Paxos choosing a log
// under a leader; a share link reproducing a duel; a bad link named in the notice while the
// page keeps working. Driven only through the data-* hooks of docs/ui-hooks.md.

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

async function openMode(page, url, fragment = '') {
  await page.goto(`${url}#mode=paxos${fragment}`);
  await waitForApp(page);
  await page.locator('[data-testid="px-slots"]').waitFor();
}

const slot = (page, n) => page.locator(`[data-testid="px-slots"] tr[data-slot="${n}"]`);

const panel = (page) =>
  domText(page, ['svg.px-stage', '[data-testid="px-slots"]', '[data-testid="px-acceptors"]', '[data-testid="px-proposers"]', '.px-counters']);

test('the mode switch opens Paxos: five nodes, nothing scrolls sideways', async (t) => {
  await harness.withPage(t, PHONE, async ({ page, errors, url }) => {
    await page.goto(`${url}full/`);
    await waitForApp(page);
    await page.click('[data-action="mode-paxos"]');
    await page.locator('[data-testid="px-slots"]').waitFor();
    assert.equal(await page.locator('svg.px-stage [data-node]').count(), 5);
    const fits = await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);
    assert.ok(fits, 'no sideways scrolling at 390x844');
    assert.deepEqual(errors, []);
  });
});

test('a value is chosen by a majority of acceptors and learned by every learner', async (t) => {
  await harness.withPage(t, DESKTOP, async ({ page, errors, url }) => {
    await openMode(page, url);
    await setSpeed(page, 0);
    await play(page);
    await until('slot 1 chosen', async () => (await slot(page, 1).getAttribute('data-chosen').catch(() => null)) === 'true');
    await until('learned by all five', async () => (await slot(page, 1).getAttribute('data-learned-by')) === '5');
    assert.match(await slot(page, 1).locator('[data-testid="px-chosen-value"]').textContent(), /S1's value/);
    assert.equal(await count(page, 'px-chosen'), 1);
    // Every acceptor promised and accepted S1's ballot; every learner shows its ring.
    const promised = await page.$$eval('[data-testid="px-acceptor"]', (rows) => rows.map((r) => r.dataset.promised));
    assert.deepEqual(promised, ['1.1', '1.1', '1.1', '1.1', '1.1']);
    assert.equal(await page.locator('[data-node][data-learned="true"]').count(), 5);
    assert.equal(await page.getAttribute('[data-testid="safety"]', 'data-state'), 'ok');
    assert.deepEqual(errors, []);
  });
});

test('two dueling proposers pre-empt each other until randomized retry ends the duel', async (t) => {
  await harness.withPage(t, DESKTOP, async ({ page, errors, url }) => {
    await openMode(page, url);
    await pause(page);
    // Two proposers starting together (a new run), with a fixed retry shorter than a trip.
    await setField(page, 'px-proposers', 2);
    await page.uncheck('[data-action="px-retry"]');
    await setSpeed(page, 10);
    await play(page);
    await until('ten pre-emptions', async () => (await count(page, 'px-preemptions')) >= 10, { timeout: 30_000 });
    const streaks = await page.$$eval('[data-testid="px-proposer"]', (rows) =>
      Object.fromEntries(rows.map((r) => [r.dataset.nodeRow, Number(r.dataset.streak)])));
    assert.ok(streaks['1'] >= 2 && streaks['2'] >= 2, `both pre-empted again and again: ${JSON.stringify(streaks)}`);
    assert.equal(await slot(page, 1).getAttribute('data-chosen'), 'false', 'nothing chosen while they duel');
    assert.ok(await page.locator('[data-testid="px-events"] [data-kind="preempted"]').count() >= 1, 'the events say so');
    // Randomized retry: one of them soon gets through.
    await page.check('[data-action="px-retry"]');
    await until('slot 1 chosen', async () => (await slot(page, 1).getAttribute('data-chosen')) === 'true', { timeout: 30_000 });
    await until('learned by all five', async () => (await slot(page, 1).getAttribute('data-learned-by')) === '5', { timeout: 30_000 });
    assert.equal(await page.getAttribute('[data-testid="safety"]', 'data-state'), 'ok');
    assert.deepEqual(errors, []);
  });
});

test('Multi-Paxos: a leader chooses a log of client commands', async (t) => {
  await harness.withPage(t, DESKTOP, async ({ page, errors, url }) => {
    await openMode(page, url);
    await page.click('[data-action="px-variant"][data-variant="multi"]');
    await setSpeed(page, 10);
    await play(page);
    await until('a leader', async () => (await page.locator('[data-node][data-role="leader"]').count()) === 1, { timeout: 30_000 });
    await until('three slots chosen', async () => (await count(page, 'px-chosen')) >= 3, { timeout: 30_000 });
    assert.equal(await page.getAttribute('[data-testid="safety"]', 'data-state'), 'ok');
    assert.deepEqual(errors, []);
  });
});

test('a share link reproduces a duel, and a bad link is named while the page keeps working', async (t) => {
  await harness.withPage(t, DESKTOP, async ({ page, errors, url }) => {
    await openMode(page, url);
    await pause(page);
    await setField(page, 'px-seed', 9);
    await page.uncheck('[data-action="px-retry"]');
    await page.click('[data-action="px-duel"]');
    await setSpeed(page, 0);
    await play(page);
    await until('a pre-emption', async () => (await count(page, 'px-preemptions')) >= 2);
    await pause(page);
    await sleep(200);
    const before = await panel(page);
    const clock = await page.textContent('[data-testid="sim-time"]');
    await page.click('[data-action="share"]');
    const link = await page.inputValue('[data-testid="share-url"]');
    assert.match(link, /#mode=paxos&.*px=1\./);
    await harness.withPage(t, DESKTOP, async ({ page: other, errors: otherErrors }) => {
      await other.goto(link);
      await waitForApp(other);
      await other.locator('[data-testid="px-slots"]').waitFor();
      assert.ok(await other.locator('[data-action="play"]').count(), 'a shared moment opens paused');
      assert.equal(await other.inputValue('[data-field="px-seed"]'), '9');
      assert.equal(await other.isChecked('[data-action="px-retry"]'), false);
      // The clock is written once the restored run's first frame is drawn: wait for it.
      await until('the shared moment shown', async () => (await other.textContent('[data-testid="sim-time"]')) === clock);
      assert.equal(await panel(other), before);
      assert.deepEqual(otherErrors, []);
    });
    assert.deepEqual(errors, []);
  });
  await harness.withPage(t, DESKTOP, async ({ page, errors, url }) => {
    await page.goto(`${url}full/#mode=paxos&px=1.AAAA-bad`);
    await waitForApp(page);
    await page.locator('[data-testid="px-slots"]').waitFor();
    assert.match(await page.textContent('[data-testid="notice"]'), /Paxos run could not be read/);
    // The default run is on screen and plays.
    await play(page);
    await until('slot 1 chosen', async () => (await slot(page, 1).getAttribute('data-chosen').catch(() => null)) === 'true');
    assert.deepEqual(errors, []);
  });
});
