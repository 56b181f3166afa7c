// Screenshots of the lesson player: `node scripts/lesson-shots.mjs [lesson-file] [step] [out-dir]`
// serves dist/, opens the lesson from the header at desktop and phone size, walks to `step`
// (using "Show me" where a task blocks Next), and saves full-page PNGs, plus one of the open
// lesson list. Not a test: it asserts nothing.
import { DESKTOP, PHONE, sleep, startHarness, waitForApp } from '../tests/e2e/harness.mjs';

const file = process.argv[2] ?? '05-figure-8.json';
const step = Number(process.argv[3] ?? 2);
const out = process.argv[4] ?? '/tmp/shots';
const harness = await startHarness();
const t = { name: 'lesson-shots' };
for (const [name, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
  await harness.withPage(t, viewport, async ({ page, url, errors }) => {
    await page.goto(url);
    await waitForApp(page);
    await page.click('[data-action="lessons"]');
    await page.locator(`[data-lesson="${file}"]`).waitFor();
    await page.screenshot({ path: `${out}/lesson-list-${name}.png` });
    await page.click(`[data-lesson="${file}"]`);
    await page.locator('[data-testid="lesson-panel"]').waitFor();
    for (let i = 1; i < step; i++) {
      const nextButton = page.locator('[data-action="lesson-next"]');
      if (await nextButton.isDisabled()) {
        await page.click('[data-action="lesson-show-me"]');
        await page.locator('[data-testid="lesson-task"][data-done="true"]').waitFor({ timeout: 60_000 });
      }
      await nextButton.click();
      await sleep(200);
    }
    await sleep(1500);
    const base = file.replace(/\.json$/, '');
    await page.screenshot({ path: `${out}/${base}-${step}-${name}.png`, fullPage: name === 'phone' });
    const wide = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    if (wide > 0) console.log(`${name}: scrolls sideways by ${wide}px`);
    if (errors.length) console.log(`${name}: ${errors.join('\n')}`);
  });
}
await harness.close();
console.log(`saved to ${out}`);
