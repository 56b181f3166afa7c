// Accessibility, checked by a real auditor: axe-core (from npm) is injected into the release
// build and run on every mode and on a lesson, at 1280x720 and 390x844. Any violation, of any
// impact, fails with the rule, its impact and the elements it names.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { DESKTOP, PHONE, startHarness, waitForApp } from './harness.mjs';

const require = createRequire(import.meta.url);
const AXE_SOURCE = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');

let harness;
before(async () => {
  harness = await startHarness();
});
after(async () => {
  await harness?.close();
});

/** Runs axe on the page as it is and returns its violations, each as one readable line. */
async function audit(page) {
  await page.addScriptTag({ content: AXE_SOURCE });
  const violations = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    }));
  });
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.targets.join(' | ')}`);
}

/** The pages audited: each mode, paused so that the audit sees one stable state, and a lesson. */
const PAGES = [
  { name: 'Raft', hash: '#mode=raft' },
  { name: 'Log replay', hash: '#mode=replay' },
  { name: 'Hash ring', hash: '#mode=ring' },
  { name: 'Retransmission', hash: '#mode=retransmit' },
  { name: 'Two-phase commit', hash: '#mode=2pc' },
  { name: 'Paxos', hash: '#mode=paxos' },
  { name: 'Primary-backup', hash: '#mode=primary-backup' },
  { name: 'a lesson', hash: '#lesson=02-leader-election' },
];

for (const viewport of [DESKTOP, PHONE]) {
  for (const { name, hash } of PAGES) {
    test(`axe finds no violation on ${name} at ${viewport.width}x${viewport.height}`, async (t) => {
      await harness.withPage(t, viewport, async ({ page, url }) => {
        await page.goto(url + hash);
        await waitForApp(page);
        if (hash.startsWith('#lesson')) {
          await page.waitForSelector('[data-testid="lesson-panel"]', { timeout: 20_000 });
        }
        const pause = page.locator('[data-action="pause"]');
        if (await pause.count()) await pause.first().click();
        const violations = await audit(page);
        assert.deepEqual(violations, [], `axe-core on ${name}:\n${violations.join('\n')}`);
      });
    });
  }
}
