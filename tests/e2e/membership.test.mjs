// Raft membership change on the page (issue 17): "Add server" brings a spare server in as a
// learner that is made a voter once it has caught up, "Remove" takes the target out (the
// leader included: a new leader is elected among the rest), and a share link carries the
// changes as actions. Driven only through the hooks of docs/ui-hooks.md.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DESKTOP, setSpeed, sleep, startHarness, until, waitForApp } from './harness.mjs';

let harness;
before(async () => {
  harness = await startHarness();
});
after(async () => {
  await harness?.close();
});

/** `[{ id, role, term, member, config }]` of the drawn nodes. */
const readNodes = (page) =>
  page.$$eval('[data-node]', (nodes) =>
    nodes.map((n) => ({
      id: n.dataset.node,
      role: n.dataset.role,
      term: Number(n.dataset.term),
      member: n.dataset.member,
      config: n.dataset.config ?? null,
    })),
  );

async function play(page) {
  if (await page.locator('[data-action="play"]').count()) await page.click('[data-action="play"]');
  await page.locator('[data-action="pause"]').waitFor();
}

async function pause(page) {
  if (await page.locator('[data-action="pause"]').count()) await page.click('[data-action="pause"]');
  await page.locator('[data-action="play"]').waitFor();
}

const leaderOf = async (page, { other } = {}) =>
  (await readNodes(page)).find((n) => n.role === 'leader' && n.id !== other);

/** A running 3-server cluster with a leader, at real-time speed. */
async function openThree(page, url) {
  await page.goto(url);
  await waitForApp(page);
  await page.click('[data-tab="network"]');
  await page.selectOption('[data-action="set-nodes"]', '3');
  await until('3 servers drawn', async () => (await readNodes(page)).length === 3);
  await setSpeed(page, 0);
  await play(page);
  return until('a leader', () => leaderOf(page));
}

async function selectNode(page, id) {
  if ((await page.getAttribute(`[data-node="${id}"]`, 'aria-pressed')) !== 'true') {
    await page.click(`[data-node="${id}"]`);
  }
  await until(`node ${id} selected`, async () =>
    (await page.getAttribute('[data-testid="target"]', 'data-target')) === String(id),
  );
}

/** Node `id`'s commit index, from the Logs tab. */
const logOf = (page, id) =>
  page.$eval(`[data-log-row="${id}"]`, (row) => ({
    commit: Number(row.querySelector('[data-commit]').dataset.commit),
  }));

/** Sends `put key=value` to the target and waits until every drawn live node applied it. */
async function putAndWait(page, key, value) {
  await page.fill('[data-field="key"]', key);
  await page.fill('[data-field="value"]', String(value));
  await page.click('[data-action="request"]');
  await until(`${key}=${value} applied on the leader`, async () =>
    page.$$eval('[data-kv-node] [data-key]', (kvs, want) => kvs.some((k) => k.textContent === want), `${key}=${value}`),
  );
}

test('an added server joins as a learner, becomes a voter and receives the log', async (t) => {
  await harness.withPage(t, DESKTOP, async ({ page, errors, url }) => {
    const leader = await openThree(page, url);
    await page.click('[data-tab="logs"]');
    await selectNode(page, leader.id);
    await putAndWait(page, 'x', 1);
    const add = page.locator('[data-action="add-server"]');
    assert.equal(await add.isDisabled(), false, 'a spare server is left');
    await add.click();
    // The learner appears on the circle (drawn dashed), then the leader makes it a voter.
    const learner = await until('server 4 drawn', async () =>
      (await readNodes(page)).find((n) => n.id === '4'),
    );
    assert.ok(['learner', 'voter'].includes(learner.member), `server 4 is ${learner.member}`);
    await until('server 4 a voter', async () => (await readNodes(page)).find((n) => n.id === '4')?.member === 'voter');
    const nodes = await readNodes(page);
    assert.equal(nodes.length, 4);
    const l = nodes.find((n) => n.role === 'leader');
    assert.ok(l, 'a leader');
    assert.equal(l.config, '{1,2,3,4}', 'the leader uses the 4-voter configuration');
    assert.equal(await page.getAttribute('[data-testid="majority"]', 'data-quorum'), '3', 'a majority of 4 is 3');
    // The new server has the log: the put made before it joined is in its state machine.
    await until('server 4 applied x=1', async () =>
      page.$$eval('[data-kv-node="4"] [data-key]', (kvs) => kvs.some((k) => k.textContent === 'x=1')),
    );
    const leaderLog = await logOf(page, l.id);
    await until('server 4 caught up', async () => (await logOf(page, '4')).commit >= leaderLog.commit);
    assert.equal(await page.getAttribute('[data-testid="safety"]', 'data-state'), 'ok');
    assert.deepEqual(errors, []);
  });
});

test('removing the leader elects a new leader among the rest and keeps every committed entry', async (t) => {
  await harness.withPage(t, DESKTOP, async ({ page, errors, url }) => {
    const first = await openThree(page, url);
    await page.click('[data-tab="logs"]');
    await selectNode(page, first.id);
    await putAndWait(page, 'a', 1);
    await putAndWait(page, 'b', 2);
    await page.click('[data-action="remove-server"]');
    const next = await until('a new leader among the rest', () => leaderOf(page, { other: first.id }), {
      timeout: 30_000,
    });
    await until('the old leader no longer drawn', async () =>
      !(await readNodes(page)).some((n) => n.id === first.id),
    );
    const nodes = await readNodes(page);
    assert.equal(nodes.length, 2, 'two servers left');
    assert.ok(nodes.every((n) => n.member === 'voter'), JSON.stringify(nodes));
    // No committed entry is lost: the new leader's state machine has both puts.
    const kv = await page.$eval(`[data-kv-node="${next.id}"]`, (c) => c.textContent);
    assert.match(kv, /a=1/);
    assert.match(kv, /b=2/);
    assert.equal(await page.getAttribute('[data-testid="safety"]', 'data-state'), 'ok');
    assert.deepEqual(errors, []);
  });
});

test('a share link reproduces a membership change', async (t) => {
  await harness.withPage(t, DESKTOP, async ({ page, errors, url }) => {
    await openThree(page, url);
    await page.click('[data-action="add-server"]');
    await until('server 4 a voter', async () => (await readNodes(page)).find((n) => n.id === '4')?.member === 'voter');
    await sleep(300);
    await pause(page);
    const here = await readNodes(page);
    await page.click('[data-action="share"]');
    const link = await page.inputValue('[data-testid="share-url"]');
    assert.match(link, /&run=1\./);
    const other = await page.context().browser().newPage({ viewport: DESKTOP });
    try {
      await other.goto(link);
      await waitForApp(other);
      const there = await until('the shared run drawn with 4 servers', async () => {
        const nodes = await readNodes(other);
        return nodes.length === 4 && nodes;
      });
      assert.deepEqual(there, here, 'the same servers, roles, terms and configurations');
    } finally {
      await other.close();
    }
    assert.deepEqual(errors, []);
  });
});

test('with joint consensus on, the page draws both majorities while C_old,new is in use', async (t) => {
  await harness.withPage(t, DESKTOP, async ({ page, errors, url }) => {
    await openThree(page, url);
    await page.click('[data-tab="network"]');
    await page.check('[data-field="joint-consensus"]');
    await page.click('[data-action="set-raft"]');
    await setSpeed(page, -10);
    await page.click('[data-action="add-server"]');
    // C_old,new: the leader needs 2 of {1,2,3} and 3 of {1,2,3,4}.
    const joint = await until('a joint configuration drawn', async () => {
      const old = await page.getAttribute('[data-testid="majority"]', 'data-old-quorum').catch(() => null);
      return old && { old, quorum: await page.getAttribute('[data-testid="majority"]', 'data-quorum') };
    });
    assert.deepEqual(joint, { old: '2', quorum: '3' });
    assert.ok(
      (await readNodes(page)).some((n) => n.config === '{1,2,3}→{1,2,3,4}'),
      'a node uses C_old,new',
    );
    assert.equal(await page.locator('svg.cluster circle.quorum-old').count(), 3, "C_old's voters ringed");
    // Then C_new alone.
    await until('C_new in use', async () =>
      (await readNodes(page)).every((n) => n.config === '{1,2,3,4}'),
    );
    assert.equal(await page.getAttribute('[data-testid="majority"]', 'data-old-quorum'), null);
    assert.equal(await page.getAttribute('[data-testid="safety"]', 'data-state'), 'ok');
    assert.deepEqual(errors, []);
  });
});
