// Hash ring recompute benchmark in the browser (not a test): the strategies table for 100,000
// keys, 32 nodes and V = 256, computed in chunks across wake-ups. Prints the figures recorded in
// docs/BENCHMARKS.md ("Hash ring page").
//
//   trunk build --release && node tests/e2e/ring-perf.mjs
//
// For each run: total work time of all six strategies, the ring strategy's own share, the
// longest single wake-up's share of the work (what one frame paid), and long tasks (>= 50 ms)
// seen by a PerformanceObserver while the table computed. The page measures the work itself
// with performance.now() and exposes it as data-work-ms / data-slice-max-ms on the table.
// Last, the idle cost of the mode (TaskDuration over 3 s, paused and playing while quiet).
// Environment: FAULTLINE_DIST (folder to serve, default dist/), CHROMIUM.

import { startStaticServer, CHROMIUM, DESKTOP } from './harness.mjs';
import { chromium } from 'playwright-core';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];
const RUNS = Number(process.env.RUNS ?? 3);
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

const OBSERVE = () => {
  window.__longTasks = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push(Math.round(e.duration));
    }).observe({ type: 'longtask', buffered: true });
  } catch {}
};

async function tableDone(page) {
  for (let i = 0; i < 600; i += 1) {
    if ((await page.getAttribute('[data-testid="strategy-table"]', 'data-state')) === 'done') return;
    await sleep(20);
  }
  throw new Error('the strategies table did not finish');
}

async function figures(page, what) {
  const table = page.locator('[data-testid="strategy-table"]');
  const rows = await page.$$eval('[data-testid="strategy-table"] tr[data-strategy]', (rs) =>
    Object.fromEntries(rs.map((r) => [r.dataset.strategy, Number(r.dataset.workMs)])));
  return {
    what,
    totalMs: Number(await table.getAttribute('data-work-ms')),
    ringMs: rows.ring,
    longestChunkMs: Number(await table.getAttribute('data-slice-max-ms')),
    perStrategyMs: rows,
    longTasksMs: await page.evaluate(() => window.__longTasks.splice(0)),
  };
}

const dist = process.env.FAULTLINE_DIST;
const server = await startStaticServer(...(dist ? [dist] : []));
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
const results = [];
try {
  for (let run = 0; run < RUNS; run += 1) {
    const page = await (await browser.newContext({ viewport: DESKTOP })).newPage();
    await page.addInitScript(OBSERVE);
    await page.goto(server.url);
    await page.waitForSelector('[data-node]');
    await page.click('[data-action="mode-ring"]');
    await page.waitForSelector('[data-testid="ring"]');
    if (await page.locator('[data-action="pause"]').count()) await page.click('[data-action="pause"]');
    await tableDone(page);
    await page.fill('[data-field="ring-nodes"]', '32');
    await page.fill('[data-field="ring-vnodes"]', '256');
    await page.fill('[data-field="ring-keys"]', '100000');
    await page.evaluate(() => window.__longTasks.splice(0));
    // Applying builds the store (100,000 keys on their preference lists) in one task, then
    // the table recomputes for "if S33 joined: 32 → 33 nodes".
    await page.click('[data-action="ring-apply"]');
    await page.waitForSelector('[data-ring-node="32"]');
    await sleep(50);
    await tableDone(page);
    results.push(await figures(page, 'apply, then 32 → 33 (preview)'));
    // A real membership change: kill S5 and let detection take it off the ring.
    await page.click('[data-ring-node="5"]');
    await page.click('[data-action="crash"]');
    await page.click('[data-action="play"]');
    for (let i = 0; i < 500; i += 1) {
      if ((await page.getAttribute('[data-ring-node="5"]', 'data-status')) === 'down') break;
      await sleep(20);
    }
    await page.click('[data-action="pause"]');
    await sleep(50);
    await tableDone(page);
    results.push(await figures(page, 'S5 down: 32 → 31'));
    await page.context().close();
  }
  // Idle cost in Hash ring mode (default settings): main-thread TaskDuration over 3 s once the
  // table is done, paused (nothing may be scheduled) and playing with nothing in flight.
  {
    const page = await (await browser.newContext({ viewport: DESKTOP })).newPage();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const task = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration').value;
    await page.goto(server.url);
    await page.waitForSelector('[data-node]');
    await page.click('[data-action="mode-ring"]');
    await page.waitForSelector('[data-testid="ring"]');
    if (await page.locator('[data-action="pause"]').count()) await page.click('[data-action="pause"]');
    await tableDone(page);
    await sleep(300);
    let before = await task();
    await sleep(3_000);
    const paused = +(await task() - before).toFixed(3);
    await page.click('[data-action="play"]');
    await sleep(300);
    before = await task();
    await sleep(3_000);
    const playing = +(await task() - before).toFixed(3);
    results.push({ what: 'idle, default settings: TaskDuration s over 3 s', paused, playing });
    await page.context().close();
  }
} finally {
  await browser.close();
  await server.close();
}
for (const r of results) console.log(JSON.stringify(r));
