// First load of the default view, Faultline beside RaftScope (the Raft website's visualization),
// on an emulated phone, in one headless-Chromium run (a benchmark, not a test).
//
//   trunk build --release && RAFTSCOPE=/tmp/raftscope node tests/e2e/load-vs-raftscope.mjs
//
// RaftScope is assembled from its repository and its two submodules as ../shared/TOOLCHAIN.md
// says, never committed. Both folders are served gzip-compressed, as a static host would. Each
// page is loaded in a fresh browser context (nothing cached) at 390x844 under Lighthouse's mobile
// profile: 150 ms latency, 1.6 Mbit/s down, 750 kbit/s up, the CPU slowed down 4 times. Per load:
//
//   transferred   bytes received (Network.loadingFinished) until 1 s after "running";
//   cluster       from navigation start to the first frame painted with the cluster's nodes;
//   running       from navigation start to the first frame at which the simulated clock shows
//                 another time than it first did, the app mounted. RaftScope runs as soon as it
//                 draws, so its running time is its cluster time.
//
// The pages are measured in turn, ROUNDS times (default 5), so that machine load falls on all
// alike. FAULTLINE_DIST picks the Faultline build (default dist/); FAULTLINE_EXTRA adds pages of
// it by relative path, comma separated (e.g. docs-example.html, whose widgets live in shadow roots).

import { chromium } from 'playwright-core';
import { CHROMIUM, DIST, PHONE, startStaticServer } from './harness.mjs';

const RAFTSCOPE = process.env.RAFTSCOPE;
if (!RAFTSCOPE) {
  console.error('set RAFTSCOPE to the folder of an assembled RaftScope (see ../shared/TOOLCHAIN.md)');
  process.exit(2);
}
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const EXTRA = (process.env.FAULTLINE_EXTRA ?? '').split(',').map((path) => path.trim()).filter(Boolean);
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

// Lighthouse's mobile profile (its "slow 4G" and CPU slowdown), applied with DevTools throttling.
const NETWORK = {
  offline: false,
  latency: 150,
  downloadThroughput: (1.6 * 1024 * 1024) / 8,
  uploadThroughput: (750 * 1024) / 8,
};
const CPU_SLOWDOWN = 4;
/** How long bytes are still counted after the page runs: what it fetches right after starting. */
const TAIL_MS = 1_000;
const TIMEOUT_MS = 90_000;

const FAULTLINE_PAGE = { cluster: '[data-node]', clock: '[data-testid="sim-time"]' };

/**
 * Runs in the page before any of its scripts (page.addInitScript) and records in `window.__load`,
 * in ms since navigation start (performance.now()):
 *   seen         when `cluster` first matched an element with a non-zero box in the viewport;
 *   painted      the animation frame that paints it (the rendering that follows);
 *   beforePaint  whether it was seen before the first contentful paint, which then bounds it;
 *   shown        the first frame at which a `clock` showed a time, `loading` absent;
 *   running      the first frame at which a clock showed another time than it first did.
 * Clocks are told apart by element and only non-empty texts count, so that neither a clock in
 * the initial HTML (a pre-rendered frame) nor the app's first write to an empty one reads as the
 * simulation running.
 */
function probe({ cluster, clock, loading }) {
  const load = (window.__load = {});
  // Widgets mount in shadow roots, which neither querySelectorAll nor a MutationObserver of the
  // document sees into: every root made is searched and watched too.
  const roots = [document];
  const all = (selector) => roots.flatMap((root) => [...root.querySelectorAll(selector)]);
  const observer = new MutationObserver(() => lookForCluster(false));
  const watch = (root) => observer.observe(root, { childList: true, subtree: true, attributes: true });
  const attachShadow = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const root = attachShadow.call(this, init);
    roots.push(root);
    if (load.seen === undefined) watch(root);
    return root;
  };

  function lookForCluster(inFrame) {
    if (load.seen !== undefined) return;
    // On screen: a box of its own, inside the viewport (a docs page's lower widgets are not).
    const drawn = all(cluster).some((el) => {
      const box = el.getBoundingClientRect();
      return box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0 &&
        box.top < innerHeight && box.left < innerWidth;
    });
    if (!drawn) return;
    load.seen = performance.now();
    load.beforePaint = performance.getEntriesByName('first-contentful-paint').length === 0;
    observer.disconnect();
    // Found by a frame callback, this very frame paints it; found after a DOM change, the next.
    if (inFrame) load.painted = load.seen;
    else requestAnimationFrame(() => (load.painted = performance.now()));
  }

  const firstText = new Map();
  function frame() {
    // A box that changes without a DOM change (a stylesheet arriving) is caught here.
    lookForCluster(true);
    if (clock && all(loading).length === 0) {
      for (const el of all(clock)) {
        const text = el.textContent.trim();
        if (!text) continue;
        load.shown ??= performance.now();
        if (!firstText.has(el)) firstText.set(el, text);
        else if (firstText.get(el) !== text) load.running ??= performance.now();
      }
    }
    if (load.painted === undefined || (clock && load.running === undefined)) requestAnimationFrame(frame);
  }

  watch(document);
  document.addEventListener('DOMContentLoaded', () => lookForCluster(false));
  requestAnimationFrame(frame);
}

/** Loads `url` once in a fresh context under the mobile profile; resolves to its numbers. */
async function measure(browser, url, { cluster, clock }) {
  const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 1 });
  try {
    const page = await context.newPage();
    await page.addInitScript(probe, { cluster, clock, loading: '[data-testid="loading"]' });
    const cdp = await context.newCDPSession(page);
    let bytes = 0;
    let counting = true;
    cdp.on('Network.loadingFinished', ({ encodedDataLength }) => {
      if (counting) bytes += encodedDataLength;
    });
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', NETWORK);
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });

    await page.goto(url, { waitUntil: 'commit' });
    const ready = clock ? 'running' : 'painted';
    await page.waitForFunction((key) => window.__load?.[key] !== undefined, ready, {
      timeout: TIMEOUT_MS,
      polling: 100,
    });
    await page.waitForTimeout(TAIL_MS);
    counting = false;
    const load = await page.evaluate(() => ({
      ...window.__load,
      fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime,
    }));
    const clusterMs = load.beforePaint ? Math.max(load.painted, load.fcp) : load.painted;
    const ms = (x) => (x === undefined ? x : Math.round(x * 10) / 10);
    return {
      bytes,
      fcpMs: ms(load.fcp),
      clusterMs: ms(clusterMs),
      shownMs: ms(load.shown),
      runningMs: ms(clock ? load.running : clusterMs),
    };
  } finally {
    await context.close();
  }
}

const faultline = await startStaticServer(DIST, { gzip: true });
const raftscope = await startStaticServer(RAFTSCOPE, { gzip: true });
const pages = [
  { name: 'Faultline', url: faultline.url, ...FAULTLINE_PAGE },
  ...EXTRA.map((path) => ({ name: `Faultline ${path}`, url: new URL(path, faultline.url).href, ...FAULTLINE_PAGE })),
  { name: 'RaftScope', url: raftscope.url, cluster: 'g.server', clock: null },
];
const results = Object.fromEntries(pages.map(({ name }) => [name, []]));
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
try {
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const { name, url, ...selectors } of pages) {
      results[name].push(await measure(browser, url, selectors));
    }
  }
} finally {
  await browser.close();
  await faultline.close();
  await raftscope.close();
}

const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
/** "median (min–max)" of `key` over the rounds of `name`, scaled by `unit` and shown with `digits`. */
const summary = (name, key, unit, digits) => {
  const xs = results[name].map((r) => r[key] / unit);
  return `${median(xs).toFixed(digits)} (${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)})`;
};

const width = Math.max(...pages.map(({ name }) => name.length));
console.log(`${ROUNDS} rounds, 390x844, ${NETWORK.latency} ms latency, 1.6 Mbit/s, CPU ${CPU_SLOWDOWN}x slower; median (min–max)`);
console.log(`${'page'.padEnd(width)}  ${'transferred KB'.padEnd(22)}  ${'cluster on screen s'.padEnd(22)}  running s`);
for (const { name } of pages) {
  console.log(`${name.padEnd(width)}  ${summary(name, 'bytes', 1000, 1).padEnd(22)}  ${summary(name, 'clusterMs', 1000, 2).padEnd(22)}  ${summary(name, 'runningMs', 1000, 2)}`);
}
const raftscopeCluster = median(results.RaftScope.map((r) => r.clusterMs));
for (const { name } of pages.filter(({ clock }) => clock)) {
  const ratio = (key) => (median(results[name].map((r) => r[key])) / raftscopeCluster).toFixed(2);
  console.log(`${name} cluster / RaftScope cluster: ${ratio('clusterMs')} (goal <= 1)`);
  console.log(`${name} running / RaftScope cluster: ${ratio('runningMs')} (goal <= 1.5)`);
}
console.log(JSON.stringify({ rounds: ROUNDS, dist: DIST, raftscope: RAFTSCOPE, results }));
