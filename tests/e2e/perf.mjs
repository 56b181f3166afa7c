// Playground performance benchmark (not a test): drives the release build in headless
// Chromium and prints the figures recorded in docs/BENCHMARKS.md ("Playground performance").
//
//   trunk build --release && node tests/e2e/perf.mjs
//
// 1. Idle cost: 5 nodes at the default speed, main-thread TaskDuration (Chrome's
//    Performance.getMetrics) over 10 s of wall time after a 2 s warm-up. Budget: 0.42 s.
// 2. Load: 9 nodes, 10x, 20% duplication: p95 frame interval (budget 17 ms) and long tasks
//    (>= 50 ms; budget: none) over 10 s.
// 3. Paused, and with the tab hidden: animation frames and timers that fire in 3 s (budget: 0)
//    and TaskDuration.
// Environment: FAULTLINE_DIST (folder to serve, default dist/), CHROMIUM.

import { startStaticServer, CHROMIUM, DESKTOP } from './harness.mjs';
import { chromium } from 'playwright-core';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

// Counts animation frames and timer callbacks the page schedules, and records frame times and
// long tasks, from before the app loads.
const INSTRUMENT = () => {
  const w = window;
  w.__perf = { raf: 0, timers: 0, frames: [], longTasks: [] };
  const raf = w.requestAnimationFrame.bind(w);
  w.requestAnimationFrame = (cb) => raf((t) => { w.__perf.raf += 1; cb(t); });
  for (const name of ['setTimeout', 'setInterval']) {
    const orig = w[name].bind(w);
    w[name] = (cb, ...rest) => orig((...a) => { w.__perf.timers += 1; if (typeof cb === 'function') cb(...a); }, ...rest);
  }
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__perf.longTasks.push(e.duration);
    }).observe({ type: 'longtask', buffered: true });
  } catch {}
};

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

async function taskSeconds(cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
}

async function measureTask(cdp, ms) {
  const a = await taskSeconds(cdp);
  await sleep(ms);
  const b = await taskSeconds(cdp);
  const d = (k) => +(b[k] - a[k]).toFixed(3);
  return { TaskDuration: d('TaskDuration'), ScriptDuration: d('ScriptDuration'), LayoutDuration: d('LayoutDuration'), RecalcStyleDuration: d('RecalcStyleDuration') };
}

/** Frame intervals seen by an independent rAF recorder for `ms`, then p50/p95/max. */
async function frameStats(page, ms) {
  return page.evaluate(async (ms) => {
    const times = [];
    await new Promise((done) => {
      const start = performance.now();
      const tick = (t) => { times.push(t); if (t - start < ms) requestAnimationFrame(tick); else done(); };
      requestAnimationFrame(tick);
    });
    const d = times.slice(1).map((t, i) => t - times[i]).sort((a, b) => a - b);
    const q = (p) => +d[Math.min(d.length - 1, Math.floor(p * d.length))].toFixed(1);
    return { frames: d.length, p50: q(0.5), p95: q(0.95), max: +d[d.length - 1].toFixed(1) };
  }, ms);
}

const setRange = (page, selector, v) => page.$eval(selector, (i, v) => {
  i.value = String(v);
  i.dispatchEvent(new Event('input', { bubbles: true }));
}, v);

const dist = process.env.FAULTLINE_DIST;
const server = await startStaticServer(...(dist ? [dist] : []));
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
const results = {};
try {
  // 1. Idle cost at the default speed.
  {
    const page = await (await browser.newContext({ viewport: DESKTOP })).newPage();
    await page.addInitScript(INSTRUMENT);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    await page.goto(server.url);
    await page.waitForSelector('[data-node]');
    if (await page.locator('[data-action="play"]').count()) await page.click('[data-action="play"]');
    await sleep(2_000);
    const before = await page.evaluate(() => ({ ...window.__perf }));
    const task = await measureTask(cdp, 10_000);
    const after = await page.evaluate(() => ({ ...window.__perf }));
    results.default5 = {
      speed: await page.textContent('[data-testid="speed"]'),
      wakeups: { frames: after.raf - before.raf, timers: after.timers - before.timers },
      ...task,
    };
    await page.context().close();
  }
  // 2. 9 nodes, 10x, 20% duplication.
  {
    const page = await (await browser.newContext({ viewport: DESKTOP })).newPage();
    await page.addInitScript(INSTRUMENT);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    await page.goto(server.url);
    await page.waitForSelector('[data-node]');
    await page.click('[data-tab="network"]');
    await page.selectOption('[data-action="set-nodes"]', '9');
    await page.fill('[data-field="duplicate"]', '20');
    await page.click('[data-action="set-network"]');
    await setRange(page, '[data-action="speed"]', 10);
    if (await page.locator('[data-action="play"]').count()) await page.click('[data-action="play"]');
    await page.click('[data-tab="logs"]');
    await sleep(2_000);
    await page.evaluate(() => { window.__perf.longTasks = []; });
    const [frames, task] = await Promise.all([frameStats(page, 10_000), measureTask(cdp, 10_000)]);
    const longTasks = await page.evaluate(() => window.__perf.longTasks);
    const flights = await page.evaluate(() => document.querySelectorAll('[data-node]').length);
    results.load9 = { nodes: flights, frames, longTasks: longTasks.length, longestTaskMs: Math.max(0, ...longTasks), ...task };
    await page.context().close();
  }
  // 3. Paused, then hidden while playing.
  {
    const page = await (await browser.newContext({ viewport: DESKTOP })).newPage();
    await page.addInitScript(INSTRUMENT);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    await page.goto(server.url);
    await page.waitForSelector('[data-node]');
    if (await page.locator('[data-action="pause"]').count()) await page.click('[data-action="pause"]');
    await sleep(500);
    let before = await page.evaluate(() => ({ ...window.__perf }));
    const pausedTask = await measureTask(cdp, 3_000);
    let after = await page.evaluate(() => ({ ...window.__perf }));
    results.paused = { rafFired: after.raf - before.raf, timersFired: after.timers - before.timers, ...pausedTask };

    await page.click('[data-action="play"]');
    await sleep(500);
    // Headless Chromium never hides a tab by itself: report the page as hidden the way a
    // browser does, through document.hidden and a visibilitychange event.
    await page.evaluate(() => {
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await sleep(500);
    before = await page.evaluate(() => ({ ...window.__perf }));
    const hiddenTask = await measureTask(cdp, 3_000);
    after = await page.evaluate(() => ({ ...window.__perf }));
    results.hidden = { rafFired: after.raf - before.raf, timersFired: after.timers - before.timers, ...hiddenTask };
    await page.context().close();
  }
} finally {
  await browser.close();
  await server.close();
}
console.log(JSON.stringify(results, null, 2));
const ok =
  results.default5.TaskDuration <= 0.42 &&
  results.load9.frames.p95 <= 17 &&
  results.load9.longTasks === 0 &&
  results.paused.rafFired === 0 && results.paused.timersFired === 0 &&
  results.hidden.rafFired === 0 && results.hidden.timersFired === 0;
console.log(ok ? 'within budget' : 'OVER BUDGET');
