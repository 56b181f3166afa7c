// Two-phase commit mode end to end (issue 15): a transaction over three shards commits
// everywhere; crashing the coordinator once every vote is yes leaves the participants blocked
// with their locks held until it restarts; a share link reproduces a blocked run. Driven only
// through the data-* hooks of docs/ui-hooks.md.

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
  await page.goto(`${url}#mode=2pc`);
  await waitForApp(page);
  await page.locator('[data-testid="tp-coordinator"]').waitFor();
}

const states = (page) =>
  page.$$eval('[data-testid="tp-participant"]', (nodes) => nodes.map((n) => n.getAttribute('data-state')));

const panel = (page) =>
  domText(page, ['[data-testid="tp-participant-panel"]', '[data-testid="tp-coordinator-panel"]', '.tp-counters', '[data-testid="tp-timeline"]']);

test('the mode switch opens Two-phase commit: a coordinator and three shards', async (t) => {
  await harness.withPage(t, PHONE, async ({ page, errors, url }) => {
    await page.goto(`${url}full/`);
    await waitForApp(page);
    await page.click('[data-action="mode-2pc"]');
    await page.locator('[data-testid="tp-coordinator"]').waitFor();
    assert.equal(await page.locator('[data-testid="tp-participant"]').count(), 3);
    const fits = await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);
    assert.ok(fits, 'no sideways scrolling at 390x844');
    assert.deepEqual(errors, []);
  });
});

test('a transaction over three shards commits at every one of them', async (t) => {
  await harness.withPage(t, DESKTOP, async ({ page, errors, url }) => {
    await openMode(page, url);
    await pause(page);
    // Only the learner's client: nothing else touches the keys.
    await setField(page, 'tp-clients', 0);
    await page.click('[data-action="tp-submit"]');
    await setSpeed(page, 0);
    await play(page);
    const txn = page.locator('[data-testid="tp-txn"][data-txn="T1.1"]');
    await until('T1.1 committed', async () => (await txn.getAttribute('data-status').catch(() => null)) === 'committed');
    await until('every shard applied it', async () => (await page.locator('[data-testid="tp-events"] [data-kind="commit"]').count()) === 3);
    // Each participant forced a prepare record and a commit record for it.
    for (const node of ['2', '3', '4']) {
      const log = page.locator(`[data-testid="tp-participant-panel"][data-node="${node}"] [data-testid="tp-log"] li`);
      assert.deepEqual(await log.evaluateAll((lis) => lis.map((li) => [li.dataset.kind, li.dataset.txn, li.dataset.onDisk])),
        [['prepared', 'T1.1', 'true'], ['commit', 'T1.1', 'true']], `S${node}'s log`);
    }
    await until('locks released', async () =>
      (await page.$$eval('[data-testid="tp-participant"]', (ns) => ns.map((n) => n.getAttribute('data-locks')))).every((l) => l === '0'));
    assert.equal(await count(page, 'tp-committed'), 1);
    assert.equal(await page.getAttribute('[data-testid="safety"]', 'data-state'), 'ok');
    assert.deepEqual(errors, []);
  });
});

test('crashing the coordinator after every vote is yes blocks the participants until it restarts', async (t) => {
  await harness.withPage(t, DESKTOP, async ({ page, errors, url }) => {
    await openMode(page, url);
    await pause(page);
    await setField(page, 'tp-clients', 0);
    await page.click('[data-action="tp-submit"]');
    await page.click('[data-action="tp-crash-before-decision"]');
    assert.equal(await page.getAttribute('[data-testid="tp-coordinator"]', 'data-up'), 'false');
    assert.deepEqual(await states(page), ['prepared', 'prepared', 'prepared']);
    await setSpeed(page, 10);
    await play(page);
    await until('every participant blocked', async () => (await states(page)).every((s) => s === 'blocked'));
    // Blocked means the locks stay held, for as long as the coordinator is down.
    await sleep(1500);
    assert.deepEqual(await page.$$eval('[data-testid="tp-participant"]', (ns) => ns.map((n) => n.getAttribute('data-locks'))), ['1', '1', '1']);
    assert.equal(await page.locator('[data-testid="tp-blocked"][data-txn="T1.1"]').count(), 3);
    assert.equal(await count(page, 'tp-blocked-now'), 3);
    assert.equal(await page.locator('[data-testid="tp-txn"][data-txn="T1.1"]').getAttribute('data-blocked'), 'true');
    assert.ok(await page.locator('[data-testid="tp-blocked-span"]').count() >= 3, 'blocked time drawn in the timeline');
    // The coordinator recovers, has no commit record, and presumes abort: the block ends.
    await page.click('[data-action="restart"][data-node="1"]');
    await until('no participant blocked', async () => (await states(page)).every((s) => s !== 'blocked' && s !== 'prepared'));
    await until('T1.1 aborted everywhere', async () =>
      (await page.locator('[data-testid="tp-events"] [data-kind="unblocked"]').count()) >= 1);
    assert.equal(await page.getAttribute('[data-testid="safety"]', 'data-state'), 'ok');
    assert.deepEqual(errors, []);
  });
});

test('with the coordinator on a Raft group, the same crash does not block: another member takes over', async (t) => {
  await harness.withPage(t, DESKTOP, async ({ page, errors, url }) => {
    await openMode(page, url);
    await pause(page);
    await setField(page, 'tp-clients', 0);
    await page.selectOption('[data-field="tp-coordinator"]', 'raft3');
    await until('three members drawn', async () => (await page.locator('[data-testid="tp-member"]').count()) === 3);
    assert.equal(await page.getAttribute('[data-testid="tp-coordinator-panel"]', 'data-group'), '3');
    // The group elects a leader, which takes over before any transaction can run.
    await setSpeed(page, 10);
    await play(page);
    await until('a member coordinates', async () =>
      (await page.locator('[data-testid="tp-member"][data-coordinating="true"]').count()) === 1);
    await pause(page);
    const first = await page.getAttribute('[data-testid="tp-member"][data-coordinating="true"]', 'data-node');
    await page.click('[data-action="tp-submit"]');
    await page.click('[data-action="tp-crash-before-decision"]');
    assert.equal(await page.getAttribute(`[data-testid="tp-member"][data-node="${first}"]`, 'data-up'), 'false');
    assert.deepEqual(await states(page), ['prepared', 'prepared', 'prepared']);
    await play(page);
    // Another member is elected, knows every decision the group committed, and settles T1.1:
    // nobody stays in doubt, with the crashed member still down.
    const coordinating = () => page.$$eval('[data-testid="tp-member"][data-coordinating="true"]', (ns) => ns.map((n) => n.dataset.node));
    await until('another member coordinates', async () => {
      const now = await coordinating();
      return now.length === 1 && now[0] !== first;
    });
    await until('no participant in doubt', async () => (await states(page)).every((s) => s !== 'blocked' && s !== 'prepared'));
    assert.equal(await page.getAttribute(`[data-testid="tp-member"][data-node="${first}"]`, 'data-up'), 'false');
    assert.equal(await page.getAttribute('[data-testid="safety"]', 'data-state'), 'ok');
    assert.deepEqual(errors, []);
  });
});

test('a share link reproduces a blocked run', async (t) => {
  await harness.withPage(t, DESKTOP, async ({ page, errors, url }) => {
    await openMode(page, url);
    await pause(page);
    await setField(page, 'tp-seed', 9);
    await page.click('[data-action="tp-submit"]');
    await page.click('[data-action="tp-crash-before-decision"]');
    await setSpeed(page, 10);
    await play(page);
    await until('a participant blocked', async () => (await states(page)).includes('blocked'));
    await pause(page);
    await sleep(200);
    const before = await panel(page);
    const clock = await page.textContent('[data-testid="sim-time"]');
    await page.click('[data-action="share"]');
    const link = await page.inputValue('[data-testid="share-url"]');
    assert.match(link, /#mode=2pc&.*tp=1\./);
    await harness.withPage(t, DESKTOP, async ({ page: other, errors: otherErrors }) => {
      await other.goto(link);
      await waitForApp(other);
      await other.locator('[data-testid="tp-coordinator"]').waitFor();
      assert.ok(await other.locator('[data-action="play"]').count(), 'a shared moment opens paused');
      assert.equal(await other.inputValue('[data-field="tp-seed"]'), '9');
      // The clock is written once the restored run's first frame is drawn: wait for it.
      await until('the shared moment shown', async () => (await other.textContent('[data-testid="sim-time"]')) === clock);
      assert.ok((await states(other)).includes('blocked'));
      assert.equal(await panel(other), before);
      assert.deepEqual(otherErrors, []);
    });
    assert.deepEqual(errors, []);
  });
});

test('a broken switch is caught and named by the alarm', async (t) => {
  await harness.withPage(t, DESKTOP, async ({ page, errors, url }) => {
    await openMode(page, url);
    await pause(page);
    await page.check('[data-bug="release-locks-at-prepare"]');
    await setSpeed(page, 10);
    await play(page);
    await until('a violation', async () => (await page.getAttribute('[data-testid="safety"]', 'data-state')) === 'violated', { timeout: 30_000 });
    assert.match(await page.textContent('[data-testid="tp-violation"]'), /Locks Held Until the Decision/);
    // A bad setting is named and the run on screen stays.
    await setField(page, 'tp-participants', 9);
    assert.match(await page.textContent('[data-testid="notice"]'), /participants/);
    assert.deepEqual(errors, []);
  });
});
