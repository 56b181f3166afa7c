// Screenshots for looking at a UI change: `node scripts/shots.mjs [mode] [out-dir]` serves
// dist/, opens the page at desktop and phone size, switches to `mode` (the data-action of its
// mode button, e.g. mode-replay), plays for a few seconds, crashes and restarts node 2, and
// saves full-page PNGs. Not a test: it asserts nothing.
import { DESKTOP, PHONE, sleep, startHarness, waitForApp } from '../tests/e2e/harness.mjs';

const mode = process.argv[2] ?? 'mode-raft';
const out = process.argv[3] ?? '/tmp/shots';
const harness = await startHarness();
const t = { name: 'shots' };
for (const [name, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
  await harness.withPage(t, viewport, async ({ page, url, errors }) => {
    await page.goto(url);
    await waitForApp(page);
    const modeButton = page.locator(`[data-action="${mode}"]`);
    if (await modeButton.count()) await modeButton.click();
    if (await page.locator('[data-action="play"]').count()) await page.click('[data-action="play"]');
    await sleep(4000);
    const node = page.locator('[data-node="2"]');
    if (await node.count()) {
      await node.click();
      const crash = page.locator('[data-action="crash"]');
      if (await crash.count()) await crash.first().click();
      await sleep(1500);
      const restart = page.locator('[data-action="restart"]');
      if (await restart.count()) await restart.first().click();
      await sleep(300);
    }
    await page.screenshot({ path: `${out}/${mode}-${name}.png`, fullPage: true });
    if (errors.length) console.log(`${name}: ${errors.join('\n')}`);
  });
}
await harness.close();
console.log(`saved to ${out}`);
