// Main-thread time of the default view, Faultline beside RaftScope (the Raft website's
// visualization), in one headless-Chromium run (a benchmark, not a test; docs/BENCHMARKS.md).
//
//   trunk build --release
//   RAFTSCOPE=/path/to/assembled/raftscope node tests/e2e/perf-vs-raftscope.mjs
//
// RaftScope is assembled from its repository and its two submodules as ../shared/TOOLCHAIN.md
// says, never committed. Each page is opened at 1280x720, left running for a 2 s warm-up, then
// Chrome's `TaskDuration` (main-thread task time, Performance.getMetrics) is read over 10 s of
// wall time. Nothing is injected into either page, so neither pays for a frame counter. The pages
// are measured in turn, ROUNDS times, so that machine load falls on both alike.

import { chromium } from 'playwright-core';
import { CHROMIUM, DESKTOP, startStaticServer } from './harness.mjs';

const RAFTSCOPE = process.env.RAFTSCOPE;
if (!RAFTSCOPE) {
  console.error('set RAFTSCOPE to the folder of an assembled RaftScope (see ../shared/TOOLCHAIN.md)');
  process.exit(2);
}
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const WINDOW_MS = 10_000;
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

async function taskSeconds(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const read = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    return metrics.find((m) => m.name === 'TaskDuration').value;
  };
  const before = await read();
  await page.waitForTimeout(WINDOW_MS);
  return (await read()) - before;
}

const faultline = await startStaticServer();
const raftscope = await startStaticServer(RAFTSCOPE);
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
const results = { faultline: [], raftscope: [], faultlinePaused: [] };
try {
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const [name, url, ready] of [
      ['faultline', faultline.url, '[data-node]'],
      ['raftscope', raftscope.url, 'g.server'],
    ]) {
      const context = await browser.newContext({ viewport: DESKTOP, deviceScaleFactor: 1 });
      const page = await context.newPage();
      await page.goto(url);
      await page.waitForSelector(ready, { timeout: 30_000 });
      await page.waitForTimeout(2_000);
      results[name].push(await taskSeconds(page));
      if (name === 'faultline') {
        await page.click('[data-action="pause"]');
        await page.waitForTimeout(500);
        results.faultlinePaused.push(await taskSeconds(page));
      }
      await context.close();
    }
  }
} finally {
  await browser.close();
  await faultline.close();
  await raftscope.close();
}
const fmt = (xs) => xs.map((x) => x.toFixed(3)).join(', ');
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
console.log(`Faultline, running: TaskDuration per 10 s: ${fmt(results.faultline)} s`);
console.log(`Faultline, paused:  TaskDuration per 10 s: ${fmt(results.faultlinePaused)} s`);
console.log(`RaftScope, running: TaskDuration per 10 s: ${fmt(results.raftscope)} s`);
console.log(`ratio of means: ${(mean(results.faultline) / mean(results.raftscope)).toFixed(3)}`);
