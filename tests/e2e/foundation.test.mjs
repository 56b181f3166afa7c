// The foundation page, end to end: the release build served by a plain static server, in real
// headless Chromium. Hooks (data-* attributes) are documented in docs/ui-hooks.md.
//
// It also regenerates docs/screenshot.png, the README's picture, at 1280x720.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  DESKTOP,
  PHONE,
  ROOT,
  cargoVersion,
  sleep,
  startHarness,
  waitForApp,
  waitForChange,
} from './harness.mjs';

const CLUSTER_SIZE = 5;
const TOGGLE = '[data-action="play"], [data-action="pause"]';
const SIM_TIME = '[data-testid="sim-time"]';

let harness;
before(async () => {
  harness = await startHarness();
});
after(async () => {
  await harness?.close();
});

/** `[{ id, role, box }]` for every `[data-node]` element. */
async function readNodes(page) {
  const nodes = page.locator('[data-node]');
  const count = await nodes.count();
  const result = [];
  for (let i = 0; i < count; i += 1) {
    const node = nodes.nth(i);
    result.push({
      id: await node.getAttribute('data-node'),
      role: await node.getAttribute('data-role'),
      box: await node.boundingBox(),
    });
  }
  return result;
}

/** Five nodes with distinct ids and a role each, all drawn inside the viewport. */
async function assertCluster(page, viewport) {
  const nodes = await readNodes(page);
  assert.equal(nodes.length, CLUSTER_SIZE, `expected ${CLUSTER_SIZE} [data-node] elements`);
  assert.equal(new Set(nodes.map((n) => n.id)).size, CLUSTER_SIZE, 'data-node ids must be distinct');
  for (const node of nodes) {
    assert.ok(node.role, `node ${node.id} has no data-role`);
    assert.ok(node.box && node.box.width > 0 && node.box.height > 0, `node ${node.id} is not drawn`);
    assert.ok(
      node.box.x >= 0 && node.box.x + node.box.width <= viewport.width,
      `node ${node.id} sticks out of the ${viewport.width}px-wide viewport: ${JSON.stringify(node.box)}`,
    );
  }
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px at ${viewport.width}px`);
}

async function toggleAction(page) {
  return page.locator(TOGGLE).first().getAttribute('data-action');
}

/** Clicks the play/pause toggle and waits until it shows the other action. */
async function clickToggle(page) {
  const before = await toggleAction(page);
  await page.locator(TOGGLE).first().click();
  const now = await waitForChange(() => toggleAction(page), before, { timeout: 2_000 });
  assert.equal(now, before === 'play' ? 'pause' : 'play', `the toggle went from ${before} to ${now}`);
}

const simTime = (page) => page.locator(SIM_TIME).first().innerText();

test('desktop 1280x720: five nodes, play/pause drives the clock, version in the footer', async (t) => {
  await harness.withPage(t, DESKTOP, async ({ page, errors, url }) => {
    await page.goto(url);
    await waitForApp(page);
    assert.equal(await page.title(), 'Faultline');
    await assertCluster(page, DESKTOP);

    // Start from paused, whatever the page starts in.
    if ((await toggleAction(page)) === 'pause') await clickToggle(page);
    assert.equal(await toggleAction(page), 'play');

    // Paused: the simulated clock stands still.
    const paused = await simTime(page);
    await sleep(400);
    assert.equal(await simTime(page), paused, 'the clock moved while paused');

    // Playing: it advances.
    await clickToggle(page);
    assert.equal(await toggleAction(page), 'pause');
    const advanced = await waitForChange(() => simTime(page), paused, { timeout: 5_000 });
    assert.notEqual(advanced, paused);

    // Paused again: it stops.
    await clickToggle(page);
    await sleep(100); // a frame already scheduled may still land
    const stopped = await simTime(page);
    await sleep(400);
    assert.equal(await simTime(page), stopped, 'the clock moved after pausing');

    // The footer shows the package version.
    const version = await cargoVersion();
    const footer = await page.locator('[data-testid="version"]').first().innerText();
    assert.ok(footer.includes(version), `footer "${footer}" does not show version ${version}`);

    await assertCluster(page, DESKTOP);
    assert.deepEqual(errors, [], 'the page logged errors');

    // The README's picture: play until a leader is elected (the playground tests check that it
    // happens; here it only makes a better picture), then pause and take it.
    await clickToggle(page);
    await page
      .locator('[data-node][data-role="leader"]')
      .first()
      .waitFor({ state: 'attached', timeout: 15_000 })
      .catch(() => {});
    await sleep(1_000);
    await clickToggle(page);
    await page.screenshot({ path: join(ROOT, 'docs', 'screenshot.png') });
    assert.deepEqual(errors, [], 'the page logged errors');
  });
});

test('phone 390x844: five nodes with roles, no sideways scrolling', async (t) => {
  await harness.withPage(t, PHONE, async ({ page, errors, url }) => {
    await page.goto(url);
    await waitForApp(page);
    await assertCluster(page, PHONE);
    assert.ok(await page.locator(TOGGLE).first().isVisible(), 'the play/pause button is not visible');
    assert.deepEqual(errors, [], 'the page logged errors');
  });
});

test('dist/ works from a sub-folder of a static host, as in an embedding docs page', async (t) => {
  await harness.withPage(t, DESKTOP, async ({ page, errors, subfolderUrl }) => {
    await page.goto(subfolderUrl);
    await waitForApp(page);
    await assertCluster(page, DESKTOP);
    assert.deepEqual(errors, [], 'the page logged errors');
  });
});
