// Shared end-to-end harness: serves the release build (dist/) on 127.0.0.1 with a plain static
// file server, drives Debian's Chromium through playwright-core, collects console and page errors,
// and saves a screenshot to test-results/ when a test fails.
//
// Build first (`trunk build --release`, which scripts/test.sh does), then run one file with
// `node --test tests/e2e/foundation.test.mjs`. Environment overrides: FAULTLINE_DIST (the
// folder to serve), CHROMIUM (the browser binary).

import { createServer } from 'node:http';
import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DIST = resolve(process.env.FAULTLINE_DIST ?? join(ROOT, 'dist'));
export const RESULTS = join(ROOT, 'test-results');
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** The viewports the page must look deliberate at. */
export const DESKTOP = { width: 1280, height: 720 };
export const PHONE = { width: 390, height: 844 };

// Flags for a headless Chromium on a machine without network access: the background services
// would otherwise try (and fail) to reach Google's hosts at every start.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

/** Formats a static host sends as they are: gzip would not make them smaller. */
const ALREADY_COMPRESSED = new Set(['.png', '.woff2']);

/** Where the second server mounts dist/, as a documentation site's sub-folder would. */
export const SUBFOLDER = '/docs/playground/';

/**
 * Serves `dir` on 127.0.0.1 on a free port, like any static host would: files by path under
 * `base`, index.html for a folder, 404 for anything else (outside `base` too). With `gzip`,
 * bodies are sent gzip-compressed (level 9) to clients that accept it, as a production host
 * would, so that transferred bytes can be measured.
 * Resolves to `{ url, close }`, `url` being the address of `base`.
 */
export async function startStaticServer(dir = DIST, { base = '/', gzip = false } = {}) {
  const root = resolve(dir);
  // Compressed bodies by file, kept while the file is unchanged: level 9 takes some 50 ms for
  // the wasm, which would otherwise be added to every load a benchmark times.
  const compressed = new Map();
  const gzipped = (file, info, body) => {
    const key = `${info.mtimeMs}:${info.size}`;
    const hit = compressed.get(file);
    if (hit?.key === key) return hit.body;
    const entry = { key, body: gzipSync(body, { level: 9 }) };
    compressed.set(file, entry);
    return entry.body;
  };
  try {
    await stat(join(root, 'index.html'));
  } catch {
    throw new Error(`${root}/index.html not found: build the app first with \`trunk build --release\``);
  }
  const server = createServer(async (request, response) => {
    try {
      const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
      if (!pathname.startsWith(base)) throw new Error('outside the base folder');
      let file = normalize(join(root, pathname.slice(base.length)));
      if (file !== root && !file.startsWith(root + sep)) {
        response.writeHead(403).end();
        return;
      }
      if ((await stat(file).catch(() => null))?.isDirectory()) file = join(file, 'index.html');
      const info = await stat(file);
      let body = await readFile(file);
      const headers = {
        'content-type': MIME_TYPES[extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-store',
      };
      if (gzip && !ALREADY_COMPRESSED.has(extname(file))) {
        headers.vary = 'accept-encoding';
        if (/\bgzip\b/.test(request.headers['accept-encoding'] ?? '')) {
          body = gzipped(file, info, body);
          headers['content-encoding'] = 'gzip';
        }
      }
      response.writeHead(200, headers);
      response.end(request.method === 'HEAD' ? undefined : body);
    } catch {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', ok);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}${base}`,
    close: () => new Promise((ok) => server.close(() => ok())),
  };
}

/**
 * Starts the static server and the browser once for a test file. Call `close()` in `after`.
 *
 * `withPage(t, viewport, body)` opens a fresh page at `viewport`, collects its console errors,
 * uncaught page errors and failed requests into `errors`, and calls
 * `body({ page, errors, url, subfolderUrl })`. If `body` throws,
 * a full-page screenshot is saved to test-results/<test name>.png before the error is rethrown.
 */
export async function startHarness({ dist = DIST } = {}) {
  const server = await startStaticServer(dist);
  const subfolder = await startStaticServer(dist, { base: SUBFOLDER });
  // Playwright gives every launch a new temporary user-data-dir and deletes it on close; the
  // downloads folder is ours so that nothing is left in the working tree.
  const downloadsPath = await mkdtemp(join(tmpdir(), 'faultline-e2e-'));
  let browser;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      downloadsPath,
      timeout: 30_000,
    });
  } catch (error) {
    await server.close();
    await subfolder.close();
    throw new Error(
      `could not start ${CHROMIUM} (install it with: apt-get install chromium chromium-driver): ${error.message}`,
    );
  }

  async function withPage(t, viewport, body) {
    const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
    const page = await context.newPage();
    const errors = [];
    page.on('console', (message) => {
      if (message.type() === 'error') {
        const where = message.location();
        errors.push(`console.error: ${message.text()}${where?.url ? ` (${where.url}:${where.lineNumber})` : ''}`);
      }
    });
    page.on('pageerror', (error) => errors.push(`uncaught: ${error.stack ?? error.message}`));
    // The default page sends an address it does not hold to the full page (full/) at once;
    // what it had started to fetch is then cancelled, which is not a failure. Such a
    // cancellation is taken back once the page is in another folder (before or after it).
    const cancelled = new Map();
    page.on('requestfailed', (request) => {
      const why = request.failure()?.errorText ?? 'unknown';
      const line = `request failed: ${request.url()} (${why})`;
      if (why === 'net::ERR_ABORTED') {
        if (folderOf(page.url()) !== folderOf(request.url())) return;
        cancelled.set(line, folderOf(request.url()));
      }
      errors.push(line);
    });
    page.on('framenavigated', (frame) => {
      if (frame !== page.mainFrame()) return;
      for (const [line, folder] of cancelled) {
        if (folder === folderOf(frame.url())) continue;
        const at = errors.indexOf(line);
        if (at >= 0) errors.splice(at, 1);
        cancelled.delete(line);
      }
    });
    try {
      await body({ page, errors, url: server.url, subfolderUrl: subfolder.url });
    } catch (error) {
      await saveFailureScreenshot(page, t.name);
      if (errors.length > 0) error.message += `\nbrowser errors:\n  ${errors.join('\n  ')}`;
      throw error;
    } finally {
      await context.close();
    }
  }

  async function close() {
    await browser.close();
    await server.close();
    await subfolder.close();
    await rm(downloadsPath, { recursive: true, force: true });
  }

  return { url: server.url, subfolderUrl: subfolder.url, browser, withPage, close };
}

/** The folder part of a URL's path: `/a/b/` for `http://host/a/b/c.wasm?x#y`. */
const folderOf = (url) => new URL(url).pathname.replace(/[^/]*$/, '');

/** Saves a screenshot of `page` to test-results/<name>.png; never throws. */
export async function saveFailureScreenshot(page, name) {
  try {
    await mkdir(RESULTS, { recursive: true });
    const file = join(RESULTS, `${name.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 100)}.png`);
    await page.screenshot({ path: file, fullPage: true, timeout: 10_000 });
    console.error(`screenshot of the failure: ${file}`);
  } catch (error) {
    console.error(`could not save a failure screenshot: ${error.message}`);
  }
}

/** The package version in Cargo.toml, which the page footer must show. */
export async function cargoVersion() {
  const manifest = await readFile(join(ROOT, 'Cargo.toml'), 'utf8');
  const pkg = manifest.split(/^\[/m).find((section) => section.startsWith('package]'));
  const version = pkg?.match(/^version\s*=\s*"([^"]+)"/m)?.[1];
  if (!version) throw new Error('no [package] version found in Cargo.toml');
  return version;
}

/** Waits until the app has mounted: the loading message is gone and cluster nodes are drawn. */
export async function waitForApp(page, { timeout = 20_000 } = {}) {
  await page.locator('[data-node]').first().waitFor({ state: 'attached', timeout });
}

/** Polls `read` until it returns something other than `before`; resolves to the new value. */
export async function waitForChange(read, before, { timeout = 5_000, interval = 50 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const now = await read();
    if (now !== before) return now;
    if (Date.now() > deadline) {
      throw new Error(`value stayed ${JSON.stringify(before)} for ${timeout} ms`);
    }
    await new Promise((ok) => setTimeout(ok, interval));
  }
}

export const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

/**
 * What the learner sees of the run, as text: the clock, the cluster drawing, the logs and state
 * machines and the safety badge, every attribute included. Equal strings mean equal pictures.
 */
export const domState = (page) => domText(page, ['svg.cluster', '.log-table', '.kv-table', '[data-testid="safety"]']);

/**
 * The clock and the elements `selectors` name, as text with every attribute but those in
 * `skip`: equal strings mean equal pictures. A missing element reads as an empty line.
 */
export const domText = (page, selectors, skip = []) =>
  page.evaluate(([selectors, skip]) => {
    const walk = (el) => {
      const attrs = [...el.attributes]
        .filter((a) => !skip.includes(a.name))
        .map((a) => `${a.name}="${a.value}"`).sort().join(' ');
      const kids = [...el.childNodes]
        .map((c) => (c.nodeType === Node.TEXT_NODE ? c.textContent : c.nodeType === Node.ELEMENT_NODE ? walk(c) : ''))
        .join('');
      return `<${el.localName} ${attrs}>${kids}</${el.localName}>`;
    };
    return [
      document.querySelector('[data-testid="sim-time"]').textContent,
      ...selectors.map((s) => {
        const el = document.querySelector(s);
        return el ? walk(el) : '';
      }),
    ].join('\n');
  }, [selectors, skip]);
/** Polls `check` until it returns something truthy; resolves to that value. */
export async function until(what, check, { timeout = 20_000, interval = 40 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await sleep(interval);
  }
}

/** Sets the speed slider to `step` (speed = 10^(step/10)) as a learner dragging it would. */
export const setSpeed = (page, step) =>
  page.$eval('[data-action="speed"]', (input, v) => {
    input.value = String(v);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, step);

/** The id of the node drawn as leader, if any. */
export const leaderId = (page) =>
  page.$$eval('[data-node]', (nodes) => nodes.find((n) => n.dataset.role === 'leader')?.dataset.node);

/** Waits until two reads of `read` (by default `domState`) agree: the animator has drawn the last change. */
export async function settled(page, read = domState) {
  let previous = await read(page);
  for (;;) {
    await sleep(150);
    const now = await read(page);
    if (now === previous) return now;
    previous = now;
  }
}

/** Plays the run, if it is paused. */
export async function play(page) {
  if (await page.locator('[data-action="play"]').count()) await page.click('[data-action="play"]');
  await page.locator('[data-action="pause"]').waitFor();
}

/** Types `value` into the settings field `hook` and commits it, as a learner would. */
export async function setField(page, hook, value) {
  const input = page.locator(`[data-field="${hook}"]`);
  await input.fill(String(value));
  await input.dispatchEvent('change');
}

/** Pauses the run, if it is playing. */
export async function pause(page) {
  if (await page.locator('[data-action="pause"]').count()) await page.click('[data-action="pause"]');
  await page.locator('[data-action="play"]').waitFor();
}

/**
 * Opens `url`, lets the cluster elect a leader at 1x, crashes it (selected), waits for the next
 * leader and pauses: a run with something in it, the state a teacher would share. Resolves to
 * the crashed node's id.
 */
export async function crashedLeaderRun(page, url) {
  await page.goto(url);
  await waitForApp(page);
  await setSpeed(page, 0);
  const leader = await until('a leader', () => leaderId(page));
  await page.click(`[data-node="${leader}"]`);
  await page.click('[data-action="crash"]');
  await until('a new leader', async () => {
    const id = await leaderId(page);
    return id && id !== leader;
  });
  await sleep(200);
  await pause(page);
  return leader;
}
