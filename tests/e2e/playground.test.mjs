// The Raft playground end to end (issue 4's "Stable hooks for tests"): the release build in
// real headless Chromium, driven only through the data-* hooks of docs/ui-hooks.md.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DESKTOP, domState, sleep, startHarness, waitForApp } from './harness.mjs';

let harness;
before(async () => {
  harness = await startHarness();
});
after(async () => {
  await harness?.close();
});

/** `[{ id, role, term }]` of the drawn nodes. */
const readNodes = (page) =>
  page.$$eval('[data-node]', (nodes) =>
    nodes.map((n) => ({ id: n.dataset.node, role: n.dataset.role, term: Number(n.dataset.term) })),
  );

/** Polls `check` (which returns a value or a falsy one) until it returns something truthy. */
async function until(what, check, { timeout = 15_000, interval = 50 } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    last = await check();
    if (last) return last;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await sleep(interval);
  }
}

/** Sets a range input through the same `input` event a drag produces. */
async function setRange(page, selector, value) {
  await page.$eval(
    selector,
    (input, v) => {
      input.value = String(v);
      input.dispatchEvent(new Event('input', { bubbles: true }));
    },
    value,
  );
}

/** Speed in tenths of a decade: 0 is real time (1x). */
const setSpeed = (page, step) => setRange(page, '[data-action="speed"]', step);

async function play(page) {
  if (await page.locator('[data-action="play"]').count()) await page.click('[data-action="play"]');
  await page.locator('[data-action="pause"]').waitFor();
}

async function pause(page) {
  if (await page.locator('[data-action="pause"]').count()) await page.click('[data-action="pause"]');
  await page.locator('[data-action="play"]').waitFor();
}

async function waitForLeader(page, { other, minTerm = 0, timeout = 20_000 } = {}) {
  return until(
    'a leader',
    async () => {
      const nodes = await readNodes(page);
      return nodes.find((n) => n.role === 'leader' && n.id !== other && n.term >= minTerm);
    },
    { timeout },
  );
}

async function openPage(page, url) {
  await page.goto(url);
  await waitForApp(page);
  await play(page);
}

/** The key-value text of every live node's state machine, by node id. */
const readKv = (page) =>
  page.$$eval('[data-kv-node]', (cells) =>
    Object.fromEntries(cells.map((c) => [c.dataset.kvNode, c.textContent])),
  );

const commitOf = (page, id) =>
  page.$eval(`[data-log-row="${id}"] [data-commit]`, (c) => Number(c.dataset.commit));

/** Selects node `id` (clicking a selected node would deselect it, so only when needed). */
async function selectNode(page, id) {
  if ((await page.getAttribute(`[data-node="${id}"]`, 'aria-pressed')) !== 'true') {
    await page.click(`[data-node="${id}"]`);
  }
  await until(`node ${id} selected`, async () =>
    (await page.getAttribute('[data-testid="target"]', 'data-target')) === String(id),
  );
}

test('the first leader appears', async (t) => {
  await harness.withPage(t, DESKTOP, async ({ page, errors, url }) => {
    await openPage(page, url);
    const leader = await waitForLeader(page);
    assert.ok(leader.term >= 1, `leader ${leader.id} has term ${leader.term}`);
    const leaders = (await readNodes(page)).filter((n) => n.role === 'leader');
    assert.equal(leaders.length, 1, 'one leader');
    assert.equal(await page.getAttribute('[data-testid="safety"]', 'data-state'), 'ok');
    assert.deepEqual(errors, []);
  });
});

test('crashing the leader yields a new leader with a higher term', async (t) => {
  await harness.withPage(t, DESKTOP, async ({ page, errors, url }) => {
    await openPage(page, url);
    await setSpeed(page, 0);
    const first = await waitForLeader(page);
    await selectNode(page, first.id);
    await page.click('[data-action="crash"]');
    await until('the old leader drawn as crashed', async () =>
      (await page.getAttribute(`[data-node="${first.id}"]`, 'data-role')) === 'crashed',
    );
    const next = await until('a new leader', async () => {
      const nodes = await readNodes(page);
      return nodes.find((n) => n.role === 'leader' && n.id !== first.id);
    });
    assert.ok(next.term > first.term, `new leader ${next.id} has term ${next.term}, not above ${first.term}`);
    // Restarting the old leader brings it back as a follower of the new term.
    await selectNode(page, first.id);
    await page.click('[data-action="restart"]');
    const back = await until('the old leader back', async () => {
      const n = (await readNodes(page)).find((x) => x.id === first.id);
      return n.role !== 'crashed' && n.term >= next.term && n;
    });
    assert.equal(back.role, 'follower');
    assert.deepEqual(errors, []);
  });
});

test("a client put is committed and shown in every live node's state machine", async (t) => {
  await harness.withPage(t, DESKTOP, async ({ page, errors, url }) => {
    await openPage(page, url);
    await setSpeed(page, 0);
    const leader = await waitForLeader(page);
    await selectNode(page, leader.id);
    await page.fill('[data-field="key"]', 'color');
    await page.fill('[data-field="value"]', '42');
    await page.click('[data-action="request"]');
    const kv = await until('color=42 on every node', async () => {
      const kv = await readKv(page);
      return Object.values(kv).every((text) => text.includes('color=42')) && kv;
    });
    assert.equal(Object.keys(kv).length, 5);
    const commits = await Promise.all(['1', '2', '3', '4', '5'].map((id) => commitOf(page, id)));
    assert.ok(commits.every((c) => c >= 2), `commit indexes ${commits}`);
    assert.deepEqual(errors, []);
  });
});

test('partitioning the leader with a minority stalls its commits, healing recovers them', async (t) => {
  await harness.withPage(t, DESKTOP, async ({ page, errors, url }) => {
    await openPage(page, url);
    await setSpeed(page, 0);
    const old = await waitForLeader(page);
    await selectNode(page, old.id);
    await page.click('[data-action="partition"][data-preset="leader-minority"]');
    const stalled = await commitOf(page, old.id);
    // The old leader takes the write but cannot reach a majority: nothing commits on it.
    await page.fill('[data-field="key"]', 'split');
    await page.fill('[data-field="value"]', '7');
    await page.click('[data-action="request"]');
    // Meanwhile the majority elects a leader of its own.
    const fresh = await until('a leader in the majority', async () => {
      const nodes = await readNodes(page);
      return nodes.find((n) => n.role === 'leader' && n.id !== old.id && n.term > old.term);
    });
    await sleep(1_500);
    assert.equal(await commitOf(page, old.id), stalled, 'the isolated leader committed without a majority');
    assert.ok(!(await readKv(page))[old.id].includes('split=7'), 'the isolated leader applied an uncommitted write');

    await page.click('[data-action="heal"]');
    // After healing, the old leader steps down, catches up, and every node agrees.
    await until('every node applied split=7 and agrees on the commit index', async () => {
      const kv = await readKv(page);
      if (!Object.values(kv).every((text) => text.includes('split=7'))) return false;
      const commits = await Promise.all(['1', '2', '3', '4', '5'].map((id) => commitOf(page, id)));
      return commits.every((c) => c === commits[0] && c > stalled);
    }, { timeout: 20_000 });
    const after = (await readNodes(page)).find((n) => n.id === old.id);
    assert.notEqual(after.role, 'leader', 'the old leader stepped down');
    assert.ok(fresh.term > old.term);
    assert.deepEqual(errors, []);
  });
});

/** Drags node `id` with the mouse to (x, y) in page pixels, in small steps like a hand. */
async function dragNode(page, id, to) {
  const box = await page.locator(`[data-node="${id}"] .body`).boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 8 });
  await page.mouse.up();
}

test('dragging a node away isolates it; dropping it on another node brings it back', async (t) => {
  await harness.withPage(t, DESKTOP, async ({ page, errors, url }) => {
    await openPage(page, url);
    await setSpeed(page, 0);
    const old = await waitForLeader(page);
    // Empty space: the stage's top-left corner, away from every node.
    const stage = await page.locator('.stage').boundingBox();
    await dragNode(page, old.id, { x: stage.x + 12, y: stage.y + 12 });
    assert.equal(await page.locator('[data-action="fork-confirm"]').count(), 0);
    assert.ok(await page.isEnabled('[data-action="heal"]'), 'the drag made a partition');
    // A partitioned leader cannot stop the others from electing one of their own.
    await until('a leader among the others', async () => {
      const nodes = await readNodes(page);
      return nodes.find((n) => n.role === 'leader' && n.id !== old.id && n.term > old.term);
    });
    // Dropped onto another node, it joins that side: the cluster is whole, nothing is cut.
    const other = old.id === '1' ? '2' : '1';
    const target = await page.locator(`[data-node="${other}"] .body`).boundingBox();
    await dragNode(page, old.id, { x: target.x + target.width / 2, y: target.y + target.height / 2 });
    await until('healed', async () => !(await page.isEnabled('[data-action="heal"]')));
    assert.equal(await page.locator('[data-node].selected').count(), 0, 'a drag does not select');
    assert.deepEqual(errors, []);
  });
});

/**
 * Everything time-dependent the page shows, as text: elements with their attributes sorted
 * (the order in which attributes were set is not part of what is shown) and their text.
 */
/** Seeks with the scrubber to `ms` and waits until the clock shows it and the DOM settles. */
async function seek(page, ms) {
  await setRange(page, '[data-testid="scrubber"]', ms);
  const want = `${Math.floor(ms / 1000)}.${String(Math.round((ms % 1000) * 10)).padStart(4, '0')} s`;
  await until(`the clock to show ${want}`, async () =>
    (await page.textContent('[data-testid="sim-time"]')) === want,
  );
  let previous = await domState(page);
  for (;;) {
    await sleep(120);
    const now = await domState(page);
    if (now === previous) return now;
    previous = now;
  }
}

test('scrubbing back and forth reproduces identical DOM states', async (t) => {
  await harness.withPage(t, DESKTOP, async ({ page, errors, url }) => {
    await openPage(page, url);
    await setSpeed(page, 0);
    const leader = await waitForLeader(page);
    await selectNode(page, leader.id);
    await page.fill('[data-field="key"]', 'k');
    await page.click('[data-action="request"]');
    await page.click('[data-action="crash"]');
    await waitForLeader(page, { other: leader.id });
    await sleep(300);
    await pause(page);
    // While playing the clock is redrawn twice a second: read the end once the paused moment
    // is drawn (two equal reads), not the last frame drawn before the pause.
    let end = await domState(page);
    for (;;) {
      await sleep(200);
      const again = await domState(page);
      if (again === end) break;
      end = again;
    }
    const horizonMs = Number(await page.$eval('[data-testid="scrubber"]', (s) => s.max));
    assert.ok(horizonMs > 300, `recorded run is only ${horizonMs} ms long`);

    const points = [Math.round(horizonMs * 0.25), Math.round(horizonMs * 0.6), 37];
    const first = [];
    for (const ms of points) first.push(await seek(page, ms));
    assert.notEqual(first[0], first[1], 'different moments look different');
    // Backwards then forwards again: each moment looks exactly as it did.
    for (const [i, ms] of [...points.entries()].reverse()) {
      assert.equal(await seek(page, ms), first[i], `the page at ${ms} ms differs on a second visit`);
    }
    for (const [i, ms] of points.entries()) {
      assert.equal(await seek(page, ms), first[i], `the page at ${ms} ms differs on a third visit`);
    }
    // Back to the end of the run: the state before scrubbing, to the attribute.
    await page.click('[data-action="live"]');
    await until('the end of the run', async () => (await domState(page)) === end, { timeout: 5_000 });
    assert.deepEqual(errors, []);
  });
});

test('acting in the past asks first, then forks a new future', async (t) => {
  await harness.withPage(t, DESKTOP, async ({ page, errors, url }) => {
    await openPage(page, url);
    await setSpeed(page, 0);
    await waitForLeader(page);
    await sleep(500);
    await pause(page);
    const horizonMs = Number(await page.$eval('[data-testid="scrubber"]', (s) => s.max));
    await seek(page, Math.round(horizonMs / 2));
    await page.click('[data-action="timeout"]');
    await page.locator('[data-testid="fork-dialog"]').waitFor();
    await page.click('[data-action="fork-cancel"]');
    assert.equal(await page.locator('[data-testid="fork-dialog"]').count(), 0);
    await page.click('[data-action="timeout"]');
    await page.click('[data-action="fork-confirm"]');
    await until('the recorded run to end at the fork', async () => {
      const max = Number(await page.$eval('[data-testid="scrubber"]', (s) => s.max));
      return max < horizonMs;
    });
    assert.equal(await page.locator('[data-action="live"]').count(), 0, 'the old future is gone');
    assert.deepEqual(errors, []);
  });
});
