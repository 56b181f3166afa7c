// Log replay mode end to end (issue 5): a node with a long log crashes and restarts; its
// replay cursor advances through the log while its state machine fills in, and it ends with
// the leader's state. Driven only through the data-* hooks of docs/ui-hooks.md.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DESKTOP, PHONE, leaderId, pause, play, setSpeed, sleep, startHarness, until, waitForApp } from './harness.mjs';

let harness;
before(async () => {
  harness = await startHarness();
});
after(async () => {
  await harness?.close();
});

const kvOf = (page, id) => page.$eval(`[data-disk-kv="${id}"]`, (e) => e.textContent);

async function openReplayMode(page, url) {
  await page.goto(url);
  await waitForApp(page);
  await page.click('[data-action="mode-replay"]');
  await page.locator('[data-testid="disks"]').waitFor();
  await play(page);
}

test('a restarted node replays its log and ends with the leader\'s state', async (t) => {
  await harness.withPage(t, DESKTOP, async ({ page, errors, url }) => {
    await openReplayMode(page, url);
    // Real time for a few seconds: the clients write, the log grows.
    await setSpeed(page, 0);
    const leader = await until('a leader', () => leaderId(page));
    const follower = leader === '2' ? '3' : '2';
    await until('a long log on the follower', async () =>
      Number(await page.getAttribute(`[data-disk="${follower}"]`, 'data-applied')) >= 40);
    await setSpeed(page, -13);
    await page.click(`[data-node="${follower}"]`);
    await page.click('[data-action="crash-clean"]');
    await until('the node drawn as crashed', async () =>
      (await page.getAttribute(`[data-disk="${follower}"]`, 'data-status')) === 'crashed');
    await page.click('[data-action="replay-restart"]');
    // The cursor must be seen at two different places while the node replays.
    const seen = new Set();
    await until('the replay cursor advancing', async () => {
      const at = await page.$eval(`[data-replay-node="${follower}"]`, (e) => e.dataset.cursor).catch(() => null);
      if (at !== null) seen.add(at);
      return seen.size >= 2;
    });
    assert.equal(await page.getAttribute(`[data-disk="${follower}"]`, 'data-status'), 'recovering');
    await until('recovery done', async () =>
      (await page.getAttribute(`[data-disk="${follower}"]`, 'data-status')) === 'up', { timeout: 30_000 });
    // Clients keep writing: compare at a pause, letting the follower catch up between tries.
    await setSpeed(page, 0);
    await until('the follower\'s state machine equal to the leader\'s', async () => {
      await pause(page);
      const same = (await kvOf(page, follower)) === (await kvOf(page, await leaderId(page)));
      if (!same) {
        await play(page);
        await sleep(150);
      }
      return same;
    });
    assert.notEqual(await kvOf(page, follower), 'state machine empty');
    assert.equal(await page.getAttribute('[data-testid="safety"]', 'data-state'), 'ok');
    assert.deepEqual(errors, []);
  });
});

test('the recovery chart is measured by running the simulation', async (t) => {
  await harness.withPage(t, PHONE, async ({ page, errors, url }) => {
    await openReplayMode(page, url);
    await page.click('[data-action="compute-chart"]');
    const rows = await until('chart rows', () =>
      page.$$eval('[data-testid="recovery-chart"] .chart-row', (r) => r.length));
    assert.equal(rows, 10, 'five intervals, two measures each');
    const widths = await page.$$eval('[data-testid="recovery-chart"] .chart-bar span', (s) =>
      s.slice(0, 5).map((e) => parseFloat(e.style.width)));
    assert.ok(widths[0] < widths[4], `frequent checkpoints recover faster than none: ${widths}`);
    assert.deepEqual(errors, []);
  });
});
