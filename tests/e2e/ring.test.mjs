// Hash ring mode end to end (issue 6): kill a node, watch the cluster notice, stream the
// missing replicas back in transfer messages, and the under-replicated count return to zero
// with no key lost. Driven only through the data-* hooks of docs/ui-hooks.md.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DESKTOP, PHONE, domText, setSpeed, sleep, startHarness, until, waitForApp } from './harness.mjs';

let harness;
before(async () => {
  harness = await startHarness();
});
after(async () => {
  await harness?.close();
});

const count = async (page, hook) => Number(await page.textContent(`[data-testid="${hook}"]`));
const status = (page, id) => page.getAttribute(`[data-ring-node="${id}"]`, 'data-status');

async function openRingMode(page, url) {
  await page.goto(url);
  await waitForApp(page);
  await page.click('[data-action="mode-ring"]');
  await page.locator('[data-testid="ring"]').waitFor();
  await page.locator('[data-ring-node="1"]').waitFor();
}

test('killing a node re-replicates its keys: under-replicated rises, then returns to 0 with no key lost', async (t) => {
  await harness.withPage(t, DESKTOP, async ({ page, errors, url }) => {
    await openRingMode(page, url);
    // Real time: detection takes 1 s, the transfers a few seconds more.
    await setSpeed(page, 0);
    if (await page.locator('[data-action="play"]').count()) await page.click('[data-action="play"]');
    assert.equal(await count(page, 'under-replicated'), 0);
    assert.equal(await count(page, 'lost-keys'), 0);
    await page.click('[data-ring-node="3"]');
    await page.click('[data-action="crash"]');
    assert.equal(await status(page, '3'), 'crashed');
    let transfersSeen = 0;
    const highest = await until('keys under-replicated after the crash is noticed', async () => {
      transfersSeen += await page.locator('.msgs [data-type="Transfer"]').count();
      const n = await count(page, 'under-replicated');
      return n > 0 && n;
    });
    assert.equal(await status(page, '3'), 'down', 'noticed down: off the ring');
    await until('re-replication finished', async () => {
      transfersSeen += await page.locator('.msgs [data-type="Transfer"]').count();
      return (await count(page, 'under-replicated')) === 0;
    });
    assert.ok(highest > 0);
    assert.ok(transfersSeen > 0, 'transfers were drawn while keys streamed');
    assert.equal(await count(page, 'lost-keys'), 0, 'R = 3: no key lost');
    assert.equal(await count(page, 'unavailable-keys'), 0);
    // The strategies table and load chart were computed for the membership change.
    await until('the strategies table done', async () =>
      (await page.getAttribute('[data-testid="strategy-table"]', 'data-state')) === 'done');
    assert.equal(await page.locator('[data-testid="strategy-table"] tr[data-strategy]').count(), 6);
    assert.equal(await page.getAttribute('[data-testid="load-chart"]', 'data-state'), 'done');
    assert.equal(await page.locator('[data-testid="load-chart"] [data-load-node="3"]').count(), 0,
      'the dead node owns nothing');
    assert.deepEqual(errors, []);
  });
});

test('bad settings are named, not applied; the phone layout does not scroll sideways', async (t) => {
  await harness.withPage(t, PHONE, async ({ page, errors, url }) => {
    await openRingMode(page, url);
    await page.fill('[data-field="ring-w"]', '4');
    await page.click('[data-action="ring-apply"]');
    const message = await page.textContent('[data-testid="ring-settings-error"]');
    assert.match(message, /W = 4 is more than R = 3/);
    await page.fill('[data-field="ring-w"]', '2');
    await page.fill('[data-field="ring-nodes"]', 'many');
    await page.click('[data-action="ring-apply"]');
    assert.match(await page.textContent('[data-testid="ring-settings-error"]'), /Nodes/);
    await page.fill('[data-field="ring-nodes"]', '2');
    await page.click('[data-action="ring-apply"]');
    assert.match(await page.textContent('[data-testid="ring-settings-error"]'), /R = 3 is more than the 2 nodes/);
    await page.fill('[data-field="ring-nodes"]', '5');
    await page.click('[data-action="ring-apply"]');
    await until('five nodes', async () => (await page.locator('[data-ring-node]').count()) === 5);
    assert.equal(await page.locator('[data-testid="ring-settings-error"]').count(), 0);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `scrolls sideways by ${overflow}px`);
    assert.deepEqual(errors, []);
  });
});

test('pointing at the ring shows the nearest key and lines to its replicas', async (t) => {
  await harness.withPage(t, DESKTOP, async ({ page, errors, url }) => {
    await openRingMode(page, url);
    const box = await page.locator('[data-testid="ring"]').boundingBox();
    const scale = box.width / 400; // the ring's view box is 400 wide, centred at 200
    await page.mouse.move(box.x + (200 + 122) * scale, box.y + 200 * scale);
    await page.locator('[data-testid="hovered-key"]').waitFor();
    const replicas = await page.locator('.hover .replica-line').count();
    assert.equal(replicas, 3, 'R = 3: a line to each replica');
    // Leaving the ring clears it.
    await page.mouse.move(box.x - 20, box.y - 20);
    await until('no hovered key', async () => (await page.locator('[data-testid="hovered-key"]').count()) === 0);
    assert.deepEqual(errors, []);
  });
});

/** What the Hash ring page shows of its run, as text (harness `domText`): clock, ring, counters,
 * story, charts and the strategies table's rows, not the wall time the table took to compute
 * (`data-work-ms`). Equal strings, equal pages. */
const ringState = (page) =>
  domText(page, ['[data-testid="ring"]', '.counters', '[data-testid="ring-story"]', '[data-testid="load-chart"]',
    '[data-testid="moved-chart"]', '[data-testid="strategy-table"] tbody'], ['data-work-ms']);

const tableDone = (page) =>
  until('the strategies table done', async () =>
    (await page.getAttribute('[data-testid="strategy-table"]', 'data-state')) === 'done');

test('a Hash ring link reproduces the run: ring, counters, charts and table', async (t) => {
  await harness.withPage(t, DESKTOP, async ({ page, errors, url }) => {
    await openRingMode(page, url);
    await setSpeed(page, 0);
    if (await page.locator('[data-action="play"]').count()) await page.click('[data-action="play"]');
    await page.click('[data-ring-node="3"]');
    await page.click('[data-action="crash"]');
    await until('the crash noticed', async () => (await status(page, '3')) === 'down');
    await page.click('[data-action="ring-add"]');
    await sleep(600);
    await page.click('[data-action="pause"]');
    await page.click('[data-ring-node="3"]'); // deselect: the selection is not part of a run
    await page.mouse.move(2, 700); // nor is the key under the pointer
    await tableDone(page);
    await sleep(300);
    const before = await ringState(page);
    assert.match(before, /down/);

    await page.click('[data-action="share"]');
    const link = await page.inputValue('[data-testid="share-url"]');
    assert.match(link, /mode=ring/);
    assert.match(link, /ring=1\./);
    assert.equal(await page.locator('[data-testid="embed-code"]').count(), 0, 'no embed code for a ring run');

    const other = await page.context().newPage();
    const otherErrors = [];
    other.on('pageerror', (e) => otherErrors.push(String(e)));
    other.on('console', (m) => m.type() === 'error' && otherErrors.push(m.text()));
    await other.goto(link);
    await waitForApp(other);
    await other.locator('[data-testid="ring"]').waitFor();
    await tableDone(other);
    await sleep(300);
    assert.equal(await ringState(other), before);
    assert.equal(await other.locator('[data-action="play"]').count(), 1, 'a ring link opens paused');
    await other.close();
    assert.deepEqual(otherErrors, []);
    assert.deepEqual(errors, []);
  });
});

test('a broken ring run in a link is named and the ring starts fresh', async (t) => {
  await harness.withPage(t, PHONE, async ({ page, errors, url }) => {
    await page.goto(`${url}#mode=ring&ring=1.____`);
    await waitForApp(page);
    await page.locator('[data-ring-node="1"]').waitFor();
    assert.match(await page.textContent('[data-testid="notice"]'), /Hash ring run/);
    assert.deepEqual(errors, []);
  });
});
