// Guided lessons end to end (issue 7): open a lesson from the header, walk forward, do a task
// with the real controls until its live check turns done, walk back and find the DOM exactly
// as it was at the earlier step, then leave into free play with the state intact. Driven only
// through the data-* hooks of docs/ui-hooks.md.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DESKTOP, PHONE, domState, pause, play, setField, setSpeed, sleep, startHarness, until, waitForApp } from './harness.mjs';
import { readFileSync } from 'node:fs';

// Every lesson the index lists is in the menu (tests/lessons.rs checks the index lists every file).
const LESSON_COUNT = JSON.parse(readFileSync(new URL('../../static/lessons/index.json', import.meta.url), 'utf8')).lessons.length;

let harness;
before(async () => {
  harness = await startHarness();
});
after(async () => {
  await harness?.close();
});

/** What the simulation looks like on the page (harness `domState`), read on the Logs tab. */
async function simState(page) {
  await page.click('[data-tab="logs"]');
  await page.locator('[data-log-row]').first().waitFor();
  // The clock is written at once after a change; give the frame that writes it time to run.
  await sleep(300);
  return domState(page);
}

const stepOf = (page) => page.getAttribute('[data-testid="lesson-panel"]', 'data-lesson-step');

async function openLesson(page, url, file) {
  await page.goto(url);
  await waitForApp(page);
  await page.click('[data-action="lessons"]');
  await page.locator(`[data-lesson="${file}"]`).click();
  await page.locator('[data-testid="lesson-panel"]').waitFor();
}

async function next(page, expected) {
  await page.click('[data-action="lesson-next"]');
  await until(`step ${expected}`, async () => (await stepOf(page)) === String(expected));
}

async function back(page, expected) {
  await page.click('[data-action="lesson-back"]');
  await until(`step ${expected}`, async () => (await stepOf(page)) === String(expected));
}

test('a lesson walked forward with a task done by hand, back to identical states, then left into free play', async (t) => {
  await harness.withPage(t, DESKTOP, async ({ page, errors, url }) => {
    await openLesson(page, url, '03-log-replication.json');
    assert.equal(await stepOf(page), '1');
    assert.equal(await page.locator('[data-action="lesson-back"]').isDisabled(), true);
    const step1 = await simState(page);

    await next(page, 2);
    const step2 = await simState(page);
    const task = page.locator('[data-testid="lesson-task"]');
    assert.equal(await task.getAttribute('data-done'), 'false');
    assert.equal(await page.locator('[data-action="lesson-next"]').isDisabled(), true, 'Next waits for the task');

    // The task: send a put to the leader with the real request form, and let it commit.
    await page.click('[data-node="2"]');
    await page.click('[data-action="request"]');
    await setSpeed(page, -10);
    await play(page);
    await until('the task checked done', async () => (await task.getAttribute('data-done')) === 'true');
    await pause(page);
    assert.equal(await page.locator('[data-action="lesson-next"]').isDisabled(), false, 'done unlocks Next');

    await next(page, 3);
    const step3 = await simState(page);
    assert.notEqual(step3, step2);

    // Back restores each earlier step exactly: not the learner's run, the step's own state.
    await back(page, 2);
    assert.equal(await simState(page), step2, 'step 2 as it first appeared');
    assert.equal(await task.getAttribute('data-done'), 'false', 'the task is fresh again');
    await back(page, 1);
    assert.equal(await simState(page), step1, 'step 1 as it first appeared');
    // And forward again without doing anything: "Show me" performs the task.
    await next(page, 2);
    assert.equal(await simState(page), step2);
    await page.click('[data-action="lesson-show-me"]');
    await until('the task done by Show me', async () => (await task.getAttribute('data-done')) === 'true');
    await pause(page);
    await next(page, 3);
    assert.equal(await simState(page), step3, 'step 3 is the same whichever way it is reached');

    // Step 4: crash a follower with the real Crash button, then leave the lesson.
    await next(page, 4);
    await page.click('[data-node="4"]');
    await page.click('[data-action="crash"]');
    await until('the task checked done', async () => (await task.getAttribute('data-done')) === 'true');
    await pause(page);
    const beforeLeaving = await simState(page);
    await page.click('[data-action="lesson-leave"]');
    await page.locator('[data-testid="lesson-panel"]').waitFor({ state: 'detached' });
    assert.equal(await simState(page), beforeLeaving, 'free play starts from the lesson\'s state');
    assert.equal(await page.getAttribute('[data-node="4"]', 'data-role'), 'crashed');
    // Free play goes on from there.
    await page.click('[data-action="restart"]');
    await until('S4 back up', async () => (await page.getAttribute('[data-node="4"]', 'data-role')) !== 'crashed');
    assert.deepEqual(errors, []);
  });
});

test('the default page lists the lessons and opens the one chosen in the full page', async (t) => {
  await harness.withPage(t, PHONE, async ({ page, errors, url }) => {
    await page.goto(url);
    await waitForApp(page);
    await page.click('[data-action="lessons"]');
    await page.locator('[data-lesson]').first().waitFor();
    assert.equal(await page.locator('[data-lesson]').count(), LESSON_COUNT);
    await page.click('[data-lesson="02-leader-election.json"]');
    await page.waitForURL(/\/full\/#lesson=02-leader-election/);
    await page.locator('[data-testid="lesson-panel"][data-lesson-step="1"]').waitFor();
    assert.deepEqual(errors, []);
  });
});

test('the lesson list opens every lesson, and a bad lesson file gives an error naming it', async (t) => {
  await harness.withPage(t, PHONE, async ({ page, errors, url }) => {
    await page.route('**/lessons/01-why-replicate.json', (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', body: '{"version": 1, "id": "x", "steps": [' }),
    );
    // The lesson player is in the full page.
    await page.goto(`${url}full/`);
    await waitForApp(page);
    await page.click('[data-action="lessons"]');
    await page.locator('[data-lesson]').first().waitFor();
    assert.equal(await page.locator('[data-lesson]').count(), LESSON_COUNT);
    assert.equal(await page.locator('[data-lesson]:disabled').count(), 0);
    await page.click('[data-lesson="01-why-replicate.json"]');
    const error = await page.locator('[data-testid="lesson-error"]').textContent();
    assert.match(error, /01-why-replicate\.json: line 1/);
    // The page still works: another lesson opens, and its steps go forward.
    await page.click('[data-lesson="09-availability.json"]');
    await page.locator('[data-testid="lesson-panel"]').waitFor();
    assert.match(await page.textContent('[data-testid="calc-result"]'), /97\.20%/);
    await page.selectOption('[data-field="calc-nodes"]', '4');
    assert.match(await page.textContent('[data-testid="calc-result"]'), /94\.77%/);
    const fits = await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);
    assert.ok(fits, 'no sideways scroll on a phone with a lesson open');
    // Only the deliberate 404-free fulfilment above: no console errors.
    assert.deepEqual(errors, []);
  });
});

test('a lesson works with the keyboard alone', async (t) => {
  await harness.withPage(t, DESKTOP, async ({ page, errors, url }) => {
    await page.goto(url);
    await waitForApp(page);
    await page.focus('[data-action="lessons"]');
    await page.keyboard.press('Enter');
    await page.locator('[data-lesson]').first().waitFor();
    // Tab from the button into the list: the first lesson.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.lesson), '01-why-replicate.json');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="lesson-panel"]').waitFor();
    // The focus lands on the step's title; Tab reaches Next, Enter activates it.
    assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'H2');
    for (let i = 0; i < 10; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(() => document.activeElement?.dataset.action === 'lesson-next')) break;
    }
    await page.keyboard.press('Enter');
    await until('step 2', async () => (await stepOf(page)) === '2');
    // Step 2's task, by keyboard shortcut: select S1 (1) and crash it (C).
    await page.keyboard.press('1');
    await page.keyboard.press('c');
    await until('the task done', async () =>
      (await page.getAttribute('[data-testid="lesson-task"]', 'data-done')) === 'true');
    await page.focus('[data-action="lesson-back"]');
    await page.keyboard.press('Enter');
    await until('step 1', async () => (await stepOf(page)) === '1');
    await page.focus('[data-action="lesson-leave"]');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="lesson-panel"]').waitFor({ state: 'detached' });
    assert.deepEqual(errors, []);
  });
});

test('a shared link reopens the lesson at the same step with the same picture', async (t) => {
  await harness.withPage(t, DESKTOP, async ({ page, errors, url }) => {
    await openLesson(page, url, '02-leader-election.json');
    await next(page, 2);
    await page.click('[data-action="lesson-show-me"]');
    await until('the task done', async () =>
      (await page.getAttribute('[data-testid="lesson-task"]', 'data-done')) === 'true');
    await next(page, 3); // heartbeats, no task
    await pause(page);
    const before = await simState(page);
    await page.click('[data-action="share"]');
    const link = await page.inputValue('[data-testid="share-url"]');
    assert.match(link, /lesson=02-leader-election&step=3/);
    await harness.withPage(t, DESKTOP, async ({ page: other, errors: otherErrors }) => {
      await other.goto(link);
      await waitForApp(other);
      await other.locator('[data-testid="lesson-panel"][data-lesson-step="3"]').waitFor();
      assert.equal(await simState(other), before);
      // Back works from a link too: step 2, rebuilt from the lesson.
      await other.click('[data-action="lesson-back"]');
      await until('step 2', async () => (await stepOf(other)) === '2');
      assert.deepEqual(otherErrors, []);
    });
    assert.deepEqual(errors, []);
  });
});

test('a link made before a lesson gained steps opens the step it named then', async (t) => {
  await harness.withPage(t, DESKTOP, async ({ page, errors, url }) => {
    // Revision 1 of the availability lesson had "Five servers" as step 6; revision 2 added a
    // prediction before it. The old link has no `lv`.
    await page.goto(`${url}#lesson=09-availability&step=6`);
    await waitForApp(page);
    const panel = page.locator('[data-testid="lesson-panel"][data-lesson-step="7"]');
    await panel.waitFor();
    assert.match(await panel.innerText(), /Five servers/);
    // A link made now names its revision, and opens where it says.
    await page.click('[data-action="share"]');
    assert.match(await page.inputValue('[data-testid="share-url"]'), /step=7&lv=2/);
    assert.deepEqual(errors, []);
  });
});

test('the Figure 8 lesson sets off the safety alarm with the broken-Raft switch, and real Raft does not', async (t) => {
  await harness.withPage(t, DESKTOP, async ({ page, errors, url }) => {
    await openLesson(page, url, '05-figure-8.json');
    for (let step = 2; step <= 5; step++) await next(page, step);
    await page.click('[data-action="lesson-show-me"]');
    await until('the alarm', async () =>
      (await page.getAttribute('[data-testid="safety"]', 'data-state')) === 'violated', { timeout: 30_000 });
    const property = await page.getAttribute('[data-testid="safety-alarm"]', 'data-property');
    assert.ok(property, 'the alarm names the broken property');
    assert.ok(await page.locator('.offending').count() > 0, 'the offending nodes are highlighted');
    await until('the task done', async () =>
      (await page.getAttribute('[data-testid="lesson-task"]', 'data-done')) === 'true');
    // In Chinese the alarm says what broke in Chinese too, and the task the learner did stays
    // done while the step is reworded.
    await pause(page);
    const englishDetail = await page.textContent('[data-testid="safety-alarm"]');
    await page.click('[data-action="lang"][data-lang="zh"]');
    await until('the alarm in Chinese', async () =>
      /索引/.test(await page.textContent('[data-testid="safety-alarm"]')));
    assert.doesNotMatch(await page.textContent('[data-testid="safety-alarm"]'), /index|applied|leads/);
    await until('the step in Chinese', async () =>
      /[\u4e00-\u9fff]/.test(await page.textContent('[data-testid="lesson-panel"] h2, [data-testid="lesson-panel"] p')));
    assert.equal(await page.getAttribute('[data-testid="lesson-task"]', 'data-done'), 'true', 'the task stays done');
    await page.click('[data-action="lang"][data-lang="en"]');
    await until('the alarm in English again', async () =>
      (await page.textContent('[data-testid="safety-alarm"]')) === englishDetail);
    await next(page, 6);
    await next(page, 7); // the last step: the same schedule with real Raft
    await play(page);
    await sleep(1500);
    assert.equal(await page.getAttribute('[data-testid="safety"]', 'data-state'), 'ok');
    assert.deepEqual(errors, []);
  });
});

test('a Hash ring lesson guides the learner around the live ring page', async (t) => {
  await harness.withPage(t, DESKTOP, async ({ page, errors, url }) => {
    await openLesson(page, url, '07-hash-ring.json');
    await page.locator('[data-testid="ring"]').waitFor();
    assert.equal(await page.getAttribute('[data-action="mode-ring"]', 'aria-pressed'), 'true');
    await next(page, 2);
    await next(page, 3);
    // The ring stays live under the lesson: add a node and the ring redraws with it.
    const before = await page.locator('[data-ring-node]').count();
    await page.click('[data-action="ring-add"]');
    await until('a new node on the ring', async () => (await page.locator('[data-ring-node]').count()) === before + 1);
    await back(page, 2);
    assert.equal(await page.locator('[data-ring-node]').count(), before + 1, 'words only: Back keeps the ring');
    await page.click('[data-action="lesson-leave"]');
    assert.equal(await page.locator('[data-testid="lesson-panel"]').count(), 0);
    assert.deepEqual(errors, []);
  });
});

test('lessons follow the language: the list and the open step are reworded, the run stays', async (t) => {
  await harness.withPage(t, DESKTOP, async ({ page, errors, url }) => {
    await openLesson(page, url, '02-leader-election.json');
    await next(page, 2);
    await pause(page);
    const before = await simState(page);
    assert.match(await page.textContent('[data-testid="lesson-panel"]'), /A candidate asks for votes/);
    await page.click('[data-action="lang"][data-lang="zh"]');
    await until('the step in Chinese', async () =>
      /候选人请求投票/.test(await page.textContent('[data-testid="lesson-panel"]')));
    assert.equal(await stepOf(page), '2');
    await page.click('[data-action="lessons"]');
    await until('the list in Chinese', async () =>
      /领导者选举与选票瓜分/.test(await page.textContent('[data-testid="lesson-list"]')));
    // A click outside the list closes it.
    await page.mouse.click(5, 400);
    await until('the list closed', async () => (await page.locator('[data-testid="lesson-list"]').count()) === 0);
    await page.click('[data-action="lang"][data-lang="en"]');
    await until('the step in English again', async () =>
      /A candidate asks for votes/.test(await page.textContent('[data-testid="lesson-panel"]')));
    assert.equal(await simState(page), before, 'the run did not change');
    assert.deepEqual(errors, []);
  });
});

// Issue 18: a prediction is asked before the run goes on, judged by what the run then does,
// and explained whichever answer was given.
test('a prediction answered right, then wrong, each judged by the run and explained', async (t) => {
  await harness.withPage(t, DESKTOP, async ({ page, errors, url }) => {
    await openLesson(page, url, '02-leader-election.json');
    await next(page, 2);
    await page.click('[data-action="lesson-show-me"]');
    await until('task done', async () => (await page.getAttribute('[data-testid="lesson-task"]', 'data-done')) === 'true');
    await next(page, 3);
    await next(page, 4);
    await page.click('[data-action="lesson-show-me"]');
    await until('task done', async () => (await page.getAttribute('[data-testid="lesson-task"]', 'data-done')) === 'true');
    await next(page, 5);
    const predict = page.locator('[data-testid="lesson-predict"]');
    assert.equal(await predict.getAttribute('data-answered'), 'false');
    assert.equal(await page.locator('[data-action="lesson-next"]').isDisabled(), true, 'Next waits for the answer');
    // First try: S1, which this run elects (the lesson test proves it from the same data).
    await page.click('[data-action="lesson-predict"][data-choice="0"]');
    await until('judged', async () => (await predict.getAttribute('data-answered')) === 'true');
    const verdict = page.locator('[data-testid="lesson-verdict"]');
    assert.equal(await verdict.getAttribute('data-right'), 'true');
    assert.match(await verdict.textContent(), /^Right\. .*times out first/);
    assert.equal(await page.getAttribute('[data-node="1"]', 'data-role'), 'leader', 'the run went on to the outcome');
    assert.equal(await page.locator('[data-action="lesson-next"]').isDisabled(), false);
    // Back and forward: the question is asked afresh; a wrong answer names the right one.
    await back(page, 4);
    await page.click('[data-action="lesson-show-me"]');
    await until('task done', async () => (await page.getAttribute('[data-testid="lesson-task"]', 'data-done')) === 'true');
    await next(page, 5);
    assert.equal(await predict.getAttribute('data-answered'), 'false');
    await page.click('[data-action="lesson-predict"][data-choice="1"]');
    await until('judged', async () => (await predict.getAttribute('data-answered')) === 'true');
    assert.equal(await verdict.getAttribute('data-right'), 'false');
    assert.match(await verdict.textContent(), /^Not quite: it was “S1”\. .*times out first/);
    assert.deepEqual(errors, []);
  });
});

test('a Hash ring lesson: a prediction checked on the live ring, and a task done with the real form', async (t) => {
  await harness.withPage(t, DESKTOP, async ({ page, errors, url }) => {
    await openLesson(page, url, '07-hash-ring.json');
    await page.locator('[data-testid="ring"]').waitFor();
    await next(page, 2);
    await next(page, 3);
    const before = await page.locator('[data-ring-node]').count();
    await page.click('[data-action="lesson-predict"][data-choice="0"]');
    await until('judged', async () => (await page.getAttribute('[data-testid="lesson-predict"]', 'data-answered')) === 'true');
    assert.equal(await page.getAttribute('[data-testid="lesson-verdict"]', 'data-right'), 'true');
    await until('the server the prediction added', async () => (await page.locator('[data-ring-node]').count()) === before + 1);
    await next(page, 4);
    const task = page.locator('[data-testid="lesson-task"]');
    assert.equal(await task.getAttribute('data-done'), 'false');
    await page.fill('[data-field="ring-vnodes"]', '1');
    await page.click('[data-action="ring-apply"]');
    await until('the task checked done', async () => (await task.getAttribute('data-done')) === 'true');
    assert.equal(await page.locator('[data-action="lesson-next"]').isDisabled(), false);
    assert.deepEqual(errors, []);
  });
});

const counter = async (page, hook) => Number(await page.textContent(`[data-testid="${hook}"]`));

test('the retransmission lesson runs beside the live Retransmission page: a task done with its controls, a prediction judged by the run', async (t) => {
  await harness.withPage(t, DESKTOP, async ({ page, errors, url }) => {
    await page.goto(`${url}full/#lesson=17-retransmission`);
    await waitForApp(page);
    await page.locator('[data-testid="lesson-panel"][data-lesson-step="1"]').waitFor();
    await page.locator('[data-testid="rt-sender"]').waitFor();
    assert.equal(await page.getAttribute('[data-action="mode-retransmit"]', 'aria-pressed'), 'true');
    assert.ok(await page.locator('[data-action="play"]').count(), 'the lesson opens the run paused');
    assert.equal(await counter(page, 'rt-delivered'), 0, 'at its start');
    await next(page, 2);
    const task = page.locator('[data-testid="lesson-task"]');
    assert.equal(await task.getAttribute('data-done'), 'false');
    assert.equal(await page.locator('[data-action="lesson-next"]').isDisabled(), true, 'Next waits for the task');
    // The task, with the page's own controls: more loss (a new run), then play until a resend.
    await setField(page, 'rt-loss', 20);
    assert.equal(await page.inputValue('[data-field="rt-loss"]'), '20');
    await setSpeed(page, 0);
    await play(page);
    await until('the task checked done', async () => (await task.getAttribute('data-done')) === 'true');
    await pause(page);
    assert.ok(await counter(page, 'rt-retransmissions') > 0, 'a message was resent');
    // The step is reworded in Chinese; the task the learner did stays done.
    await page.click('[data-action="lang"][data-lang="zh"]');
    await until('the step in Chinese', async () =>
      /超时后重发/.test(await page.textContent('[data-testid="lesson-panel"]')));
    assert.equal(await task.getAttribute('data-done'), 'true', 'the task stays done');
    await page.click('[data-action="lang"][data-lang="en"]');
    await until('the step in English again', async () =>
      /resent after a timeout/.test(await page.textContent('[data-testid="lesson-panel"]')));
    await next(page, 3);
    // The prediction: answering doubles every message on the live run and runs it on.
    const predict = page.locator('[data-testid="lesson-predict"]');
    assert.equal(await predict.getAttribute('data-answered'), 'false');
    assert.equal(await page.locator('[data-action="lesson-next"]').isDisabled(), true, 'Next waits for the answer');
    await page.click('[data-action="lesson-predict"][data-choice="0"]');
    await until('judged', async () => (await predict.getAttribute('data-answered')) === 'true');
    const verdict = page.locator('[data-testid="lesson-verdict"]');
    assert.equal(await verdict.getAttribute('data-right'), 'false');
    assert.match(await verdict.textContent(), /^Not quite: it was “Drops it, and acknowledges again”\./);
    assert.equal(await page.inputValue('[data-field="rt-dup"]'), '50', 'the run the prediction made');
    assert.ok(await counter(page, 'rt-duplicates-dropped') > 0, 'the duplicates it dropped');
    assert.equal(await counter(page, 'rt-violations'), 0);
    assert.equal(await page.locator('[data-action="lesson-next"]').isDisabled(), false);
    // Back changes only the words: the run stays as the prediction left it.
    const delivered = await counter(page, 'rt-delivered');
    await back(page, 2);
    assert.equal(await counter(page, 'rt-delivered'), delivered);
    assert.equal(await page.inputValue('[data-field="rt-dup"]'), '50');
    assert.deepEqual(errors, []);
  });
});

test('the two-phase commit lesson runs beside the live 2pc page: tasks done with its buttons, the blocking prediction judged by the run', async (t) => {
  await harness.withPage(t, DESKTOP, async ({ page, errors, url }) => {
    await page.goto(`${url}full/#lesson=18-two-phase-commit`);
    await waitForApp(page);
    await page.locator('[data-testid="lesson-panel"][data-lesson-step="1"]').waitFor();
    await page.locator('[data-testid="tp-coordinator"]').waitFor();
    assert.equal(await page.getAttribute('[data-action="mode-2pc"]', 'aria-pressed'), 'true');
    assert.equal(await counter(page, 'tp-committed'), 0, 'the run opens at its start');
    const task = page.locator('[data-testid="lesson-task"]');
    const done = () => until('the task checked done', async () => (await task.getAttribute('data-done')) === 'true');
    assert.equal(await task.getAttribute('data-done'), 'false');
    await setSpeed(page, 0);
    await play(page);
    await done();
    await pause(page);
    assert.ok(await counter(page, 'tp-committed') >= 3);
    // One no aborts: the learner's own press on S3's button.
    await next(page, 2);
    const aborted = await counter(page, 'tp-aborted');
    await page.click('[data-action="tp-vote-no"][data-node="3"]');
    await play(page);
    await done();
    await pause(page);
    assert.ok(await counter(page, 'tp-aborted') > aborted);
    // A shard's recovery, by "Show me".
    await next(page, 3);
    await page.click('[data-action="lesson-show-me"]');
    await done();
    // The prediction: the page crashes the coordinator once every vote is yes; they block.
    await next(page, 4);
    const predict = page.locator('[data-testid="lesson-predict"]');
    await page.click('[data-action="lesson-predict"][data-choice="1"]');
    await until('judged', async () => (await predict.getAttribute('data-answered')) === 'true');
    assert.equal(await page.getAttribute('[data-testid="lesson-verdict"]', 'data-right'), 'true');
    assert.ok(await counter(page, 'tp-blocked-now') > 0, 'shards blocked on the page');
    assert.equal(await page.locator('[data-action="restart"][data-node="1"]').count(), 1, 'the coordinator is down');
    await next(page, 5);
    await next(page, 6);
    // Restarting the coordinator: no record, so the blocked shards hear "aborted".
    await page.click('[data-action="restart"][data-node="1"]');
    await play(page);
    await done();
    await until('no shard blocked', async () => (await counter(page, 'tp-blocked-now')) === 0);
    await pause(page);
    assert.equal(await counter(page, 'tp-violations'), 0);
    assert.deepEqual(errors, []);
  });
});

test('the Paxos lesson runs beside the live Paxos page: a value learned, then a later proposer adopts it', async (t) => {
  await harness.withPage(t, DESKTOP, async ({ page, errors, url }) => {
    await page.goto(`${url}full/#lesson=19-paxos`);
    await waitForApp(page);
    await page.locator('[data-testid="lesson-panel"][data-lesson-step="1"]').waitFor();
    await page.locator('[data-testid="px-slots"]').waitFor();
    assert.equal(await page.getAttribute('[data-action="mode-paxos"]', 'aria-pressed'), 'true');
    const task = page.locator('[data-testid="lesson-task"]');
    const done = () => until('the task checked done', async () => (await task.getAttribute('data-done')) === 'true');
    assert.equal(await task.getAttribute('data-done'), 'false');
    await setSpeed(page, 0);
    await play(page);
    await done();
    await pause(page);
    // S3 proposes after S1's value was chosen: its promises report that value, and it adopts it.
    await next(page, 2);
    assert.equal(await task.getAttribute('data-done'), 'false');
    await page.click('[data-action="px-propose"][data-node="3"]');
    await play(page);
    await done();
    await pause(page);
    assert.match(await page.textContent('[data-testid="px-events"]'), /adopted/);
    // The minority's value: the prediction restarts the run and plays it out; S5 adopts.
    await next(page, 3);
    await next(page, 4);
    const predict = page.locator('[data-testid="lesson-predict"]');
    await page.click('[data-action="lesson-predict"][data-choice="1"]');
    await until('judged', async () => (await predict.getAttribute('data-answered')) === 'true');
    assert.equal(await page.getAttribute('[data-testid="lesson-verdict"]', 'data-right'), 'true');
    await next(page, 5);
    await page.click('[data-action="lesson-predict"][data-choice="1"]');
    await until('judged', async () => (await predict.getAttribute('data-answered')) === 'true');
    assert.equal(await page.getAttribute('[data-testid="lesson-verdict"]', 'data-right'), 'true');
    // The labels it names come from the Paxos mode's catalogue, in the learner's language.
    await next(page, 6);
    const words = await page.textContent('[data-testid="lesson-panel"]');
    assert.match(words, /An acceptor forgets its promise after a crash/);
    assert.doesNotMatch(words, /\{ui:/);
    assert.deepEqual(errors, []);
  });
});

test('the split-brain lesson runs beside the live primary-backup page: a cut and a pause done by hand, the two-primaries prediction judged by the run', async (t) => {
  await harness.withPage(t, DESKTOP, async ({ page, errors, url }) => {
    await page.goto(`${url}full/#lesson=23-split-brain`);
    await waitForApp(page);
    await page.locator('[data-testid="lesson-panel"][data-lesson-step="1"]').waitFor();
    await page.locator('[data-testid="pb-timeline"]').waitFor();
    assert.equal(await page.getAttribute('[data-action="mode-primary-backup"]', 'aria-pressed'), 'true');
    const task = page.locator('[data-testid="lesson-task"]');
    const done = () => until('the task checked done', async () => (await task.getAttribute('data-done')) === 'true', { timeout: 30_000 });
    await setSpeed(page, 0);
    await play(page);
    await until('writes acknowledged', async () => (await counter(page, 'pb-acked-writes')) >= 5);
    // Step 1: the learner cuts the primary off from the view service; a live server is suspected.
    await page.click('[data-action="pb-isolate"]');
    await done();
    // Step 2: a pause, suspected the same way.
    await next(page, 2);
    await until('a primary to aim at', async () => (await page.isEnabled('[data-action="pb-pause"]')));
    await page.click('[data-action="pb-pause"]');
    await done();
    assert.equal(await counter(page, 'pb-violations'), 0, 'the lease and fencing kept it safe');
    await next(page, 3);
    // Step 4: with the lease and fencing off, the run shows two primaries answering.
    await next(page, 4);
    const predict = page.locator('[data-testid="lesson-predict"]');
    await page.click('[data-action="lesson-predict"][data-choice="1"]');
    await until('judged', async () => (await predict.getAttribute('data-answered')) === 'true', { timeout: 30_000 });
    assert.equal(await page.getAttribute('[data-testid="lesson-verdict"]', 'data-right'), 'true');
    assert.ok(await counter(page, 'pb-violations') > 0, 'the alarm on the page');
    assert.equal(await page.isChecked('[data-bug="no-lease"]'), true, 'the switch drawn on');
    assert.deepEqual(errors, []);
  });
});
