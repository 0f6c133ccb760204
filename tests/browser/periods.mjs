// Browser tests of an agenda cut into periods (a site with more meetings than one page lists):
// the script hides the meetings that have ended by the reader's clock and points to the period
// of the reader's today; the pages pass axe and fit a 320 px screen. Imported by run.mjs, which
// provides the helpers.

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// 120 groups meeting on Tuesdays (Los Angeles) and Thursdays (Tokyo): about 3,100 meetings in
// the 90 days from 2026-11-24, cut by month. The first has met since 2023, so it has an archive
// page.
export function busySite() {
  const root = join(mkdtempSync(join(tmpdir(), 'mcpsite-busy-src-')), 'site');
  mkdirSync(join(root, 'content/groups'), { recursive: true });
  writeFileSync(join(root, 'mcpsite.toml'), 'title = "Busy Groups"\nbase_url = "https://groups.example.org"\n');
  writeFileSync(join(root, 'content/_index.md'), '+++\ntitle = "Groups"\n+++\nWelcome.\n');
  for (let i = 0; i < 120; i++) {
    const kind = i % 3 === 0 ? 'wg' : 'ig';
    const n = String(i).padStart(3, '0');
    const hour = String(8 + (i % 10)).padStart(2, '0');
    writeFileSync(join(root, `content/groups/topic${n}-${kind}.md`), `+++
kind = "${kind}"
name = "Topic ${n}"
summary = "The Topic ${n} group."
status = "active"

[[facilitators]]
github = "octocat"
name = "Mona Lisa"

[[schedule]]
id = "tue"
tz = "America/Los_Angeles"
start = ${i === 0 ? '2023-01-03' : '2026-01-06'}T09:00:00
duration = 60
every = "weekly"
weekday = "tue"

[[schedule]]
id = "thu"
tz = "Asia/Tokyo"
start = 2026-01-08T${hour}:00:00
duration = 30
every = "weekly"
weekday = "thu"

[discord]
channel = "topic-${n}"
+++
About Topic ${n}.
`);
  }
  return root;
}

export async function periodTests({ test, assert, page, busyUrl, AxeBuilder }) {
  const shown = (p) => p.$$eval('ol[data-agenda-period] > li', (lis) => lis.map((li) => ({
    end: li.getAttribute('data-end'), hidden: li.hidden,
  })));

  await test('a cut agenda hides the meetings that have ended by the reader\'s clock', async () => {
    const now = '2026-11-26T02:00:00Z';
    const { ctx, p, errors } = await page({ timezoneId: 'Europe/Berlin' }, `${busyUrl}/calendar/`, now);
    const items = await shown(p);
    assert(items.length > 100, `items: ${items.length}`);
    const wrong = items.filter((i) => i.hidden !== (Date.parse(i.end) <= Date.parse(now)));
    assert(wrong.length === 0, `wrongly shown or hidden: ${JSON.stringify(wrong.slice(0, 3))}`);
    assert(items.some((i) => i.hidden) && items.some((i) => !i.hidden), 'some ended, some to come');
    assert(await p.locator('.agenda-today').count() === 0, 'today is on this page');
    assert(await p.locator('[data-as-of]').isHidden(), 'the "as of" date no longer applies');
    assert(errors.length === 0, `page errors: ${errors}`);
    await ctx.close();
  });

  await test('a cut agenda read after its first period points to the period of today', async () => {
    const { ctx, p, errors } = await page({ timezoneId: 'Asia/Tokyo' }, `${busyUrl}/calendar/`, '2026-12-10T12:00:00Z');
    assert(await p.locator('ol[data-agenda-period]').isHidden(), 'every meeting of the first period has ended');
    assert(await p.locator('[data-agenda-empty]').isVisible(), 'the page says so');
    const note = p.locator('.agenda-today a');
    assert(await note.getAttribute('href') === '/calendar/2026-12/', `link: ${await note.getAttribute('href')}`);
    await note.click();
    await p.waitForURL(/\/calendar\/2026-12\/$/);
    assert(await p.locator('.agenda-today').count() === 0, 'no pointer on the page of today');
    const items = await shown(p);
    assert(items.filter((i) => !i.hidden).length > 0 && items.some((i) => i.hidden), 'the rest of December is listed');
    assert(errors.length === 0, `page errors: ${errors}`);
    await ctx.close();
  });

  for (const scheme of ['light', 'dark']) {
    await test(`a cut agenda's pages and an archive page pass axe and fit 320 px (${scheme})`, async () => {
      const problems = [];
      for (const path of ['/calendar/', '/calendar/2027-01/', '/groups/topic000-wg/meetings/']) {
        const { ctx, p } = await page({ colorScheme: scheme, viewport: { width: 320, height: 640 } }, `${busyUrl}${path}`);
        if (path.startsWith('/calendar/')) await p.locator('.agenda-all summary').click();
        const r = await new AxeBuilder({ page: p }).withTags(['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa']).analyze();
        for (const v of r.violations) problems.push(`${path}: ${v.id} (${v.nodes.length})`);
        const [sw, cw] = await p.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
        if (sw > cw) problems.push(`${path}: ${sw}px wide`);
        await ctx.close();
      }
      assert(problems.length === 0, problems.join('; '));
    });
  }
}
