// Draws the default page's first frame into its index.html at build time, so that a first
// visit sees the cluster before the app has downloaded (issue: fast first load). Run by
// scripts/build-full.sh, Trunk's post-build hook, on the build being staged:
//
//   node scripts/first-frame.mjs <staged dist folder>
//
// The frame is not a drawing of its own: it is the app itself, opened in headless Chromium on
// the plain default address with the wall clock held at zero, so the run is at t = 0; what it
// shows is copied into index.html as it is. The page shows it only on a plain visit (no
// address, no saved session, English), where it is exactly what the app shows at t = 0, and
// the app removes it when it mounts. tests/e2e/first-frame.test.mjs checks both.

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM, DESKTOP, startStaticServer } from '../tests/e2e/harness.mjs';

/**
 * Stops the page's clocks: the app advances its run by the wall time between frames, so with
 * no time passing the run stays at t = 0 while the app draws. The clocks stand at 10 s rather
 * than 0 because the app draws its clock and timers at most twice a second, counted from 0.
 */
export const HOLD_CLOCKS = () => {
  performance.now = () => 10_000;
  Date.now = () => 10_000;
};

/**
 * The app's page as HTML, each top-level element marked `data-first-frame` and `inert`. Values
 * that the app sets as properties (a slider's position, a choice in a list) are written as
 * attributes and a canvas as an image of it, so that the HTML shows them too. Runs in the page.
 */
export const FRAME_HTML = () => {
  const parts = [];
  for (const el of document.body.children) {
    if (['SCRIPT', 'NOSCRIPT', 'TEMPLATE'].includes(el.tagName) || el.id === 'loading') continue;
    if (el.hasAttribute('data-first-frame')) continue;
    const copy = el.cloneNode(true);
    // A canvas (the timers' rings) is shown as the picture it holds.
    const canvases = [...el.querySelectorAll('canvas')];
    [...copy.querySelectorAll('canvas')].forEach((c, i) => {
      const img = document.createElement('img');
      img.className = c.className;
      img.alt = '';
      img.src = canvases[i].toDataURL('image/webp', 0.9);
      c.replaceWith(img);
    });
    const live = [...el.querySelectorAll('input, select, textarea')];
    [...copy.querySelectorAll('input, select, textarea')].forEach((c, i) => {
      const from = live[i];
      if (from.type === 'checkbox' || from.type === 'radio') c.toggleAttribute('checked', from.checked);
      else if (from.tagName === 'SELECT') {
        [...c.options].forEach((o, j) => o.toggleAttribute('selected', j === from.selectedIndex));
      } else c.setAttribute('value', from.value);
    });
    copy.setAttribute('data-first-frame', '');
    // Its buttons do nothing until the app is up: out of reach of clicks, keys and readers.
    copy.setAttribute('inert', '');
    parts.push(copy.outerHTML);
  }
  return parts.join('');
};

/** Where the frame goes in the built index.html (the template in index.html, minified). */
const SLOT = /<template id="?first-frame"?><\/template>/;
export const FRAME_START = '<!--first-frame-->';
export const FRAME_END = '<!--/first-frame-->';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

/** The app's first frame, drawn from the build in `dir`. */
export async function drawFirstFrame(dir) {
  const server = await startStaticServer(dir);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  try {
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'en-US' });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.addInitScript(HOLD_CLOCKS);
    await page.goto(server.url);
    await page.waitForSelector('[data-node]:not([data-first-frame] *)', { timeout: 60_000 });
    // A few frames, so that the moving layer (timers) has been drawn at t = 0 as well.
    await page.waitForTimeout(500);
    if (errors.length) throw new Error(`the app failed while drawing its first frame: ${errors.join('; ')}`);
    return await page.evaluate(FRAME_HTML);
  } finally {
    await browser.close();
    await server.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: node scripts/first-frame.mjs <staged dist folder>');
    process.exit(2);
  }
  const file = join(dir, 'index.html');
  const html = await readFile(file, 'utf8');
  if (!SLOT.test(html)) {
    console.error(`${file} has no <template id="first-frame"></template> to put the first frame in`);
    process.exit(1);
  }
  const frame = await drawFirstFrame(dir);
  await writeFile(file, html.replace(SLOT, () => FRAME_START + frame + FRAME_END));
  console.log(`first frame: ${frame.length} characters into ${file}`);
}
