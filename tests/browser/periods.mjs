// Browser tests of an agenda cut into periods (a site with more meetings than one page lists):
// the script hides the meetings that have ended by the reader's clock and points to the period
// of the reader's today; the pages pass axe and fit a 320 px screen. Imported by run.mjs, which
// provides the helpers.

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// A new site folder titled `title`, with its home page and no group yet: its root.
function newSite(name, title) {
  const root = join(mkdtempSync(join(tmpdir(), `mcpsite-${name}-src-`)), 'site');
  mkdirSync(join(root, 'content/groups'), { recursive: true });
  writeFileSync(join(root, 'mcpsite.toml'), `title = "${title}"\nbase_url = "https://groups.example.org"\n`);
  writeFileSync(join(root, 'content/_index.md'), '+++\ntitle = "Groups"\n+++\nWelcome.\n');
  return root;
}

// A weekly `[[schedule]]` table, with a blank line before it.
function schedule(id, tz, start, duration, weekday) {
  return `
[[schedule]]
id = "${id}"
tz = "${tz}"
start = ${start}
duration = ${duration}
every = "weekly"
weekday = "${weekday}"
`;
}

// Writes the `i`th group of a generated site, named after `word`, with `schedules`.
function writeGroup(root, word, i, schedules) {
  const kind = i % 3 === 0 ? 'wg' : 'ig';
  const n = String(i).padStart(3, '0');
  const slug = word.toLowerCase();
  writeFileSync(join(root, `content/groups/${slug}${n}-${kind}.md`), `+++
kind = "${kind}"
name = "${word} ${n}"
summary = "The ${word} ${n} group."
status = "active"

[[facilitators]]
github = "octocat"
name = "Mona Lisa"
${schedules}
[discord]
channel = "${slug}-${n}"
+++
About ${word} ${n}.
`);
}

// 120 groups meeting on Tuesdays (Los Angeles) and Thursdays (Tokyo): about 3,100 meetings in
// the 90 days from 2026-11-24, cut by month. The first has met since 2023, so it has an archive
// page.
export function busySite() {
  const root = newSite('busy', 'Busy Groups');
  for (let i = 0; i < 120; i++) {
    const hour = String(8 + (i % 10)).padStart(2, '0');
    writeGroup(root, 'Topic', i,
      schedule('tue', 'America/Los_Angeles', `${i === 0 ? '2023-01-03' : '2026-01-06'}T09:00:00`, 60, 'tue')
      + schedule('thu', 'Asia/Tokyo', `2026-01-08T${hour}:00:00`, 30, 'thu'));
  }
  return root;
}

// 110 groups, each meeting every Tuesday at 14 hours from 05:00 UTC: 1,540 meetings every
// Tuesday, more than one page lists, so the agenda is cut by day and each Tuesday is in two
// parts; the other days have no meeting.
export function crowdedSite() {
  const root = newSite('crowded', 'Crowded Groups');
  for (let i = 0; i < 110; i++) {
    let schedules = '';
    for (let h = 0; h < 14; h++) {
      const hh = String(5 + h).padStart(2, '0');
      schedules += schedule(`tue${hh}`, 'UTC', `2026-01-06T${hh}:00:00`, 30, 'tue');
    }
    writeGroup(root, 'Crowd', i, schedules);
  }
  return root;
}

export async function periodTests({ test, assert, page, busyUrl, crowdedUrl, AxeBuilder }) {
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

  // The nav of a day's part: the day's parts, and every day once (not every part).
  const nav = (p) => p.evaluate(() => ({
    parts: [...document.querySelectorAll('.agenda-parts a')].map((a) => [a.textContent, a.getAttribute('href'), a.getAttribute('aria-current')]),
    days: [...document.querySelectorAll('.agenda-all a')].map((a) => a.getAttribute('href')),
    marked: [...document.querySelectorAll('.agenda-all a[aria-current]')].map((a) => [a.textContent, a.getAttribute('aria-current')]),
    today: document.querySelector('.agenda-today a')?.getAttribute('href') ?? null,
  }));

  await test('a part of a crowded day lists its day\'s parts and every day once', async () => {
    const { ctx, p, errors } = await page({ timezoneId: 'America/New_York' }, `${crowdedUrl}/calendar/2026-12-01-2/`, '2026-12-01T12:00:00Z');
    const n = await nav(p);
    assert(JSON.stringify(n.parts) === JSON.stringify([['part 1', '/calendar/2026-12-01/', null], ['part 2', '/calendar/2026-12-01-2/', 'page']]), `parts: ${JSON.stringify(n.parts)}`);
    assert(n.days.length === 90 && new Set(n.days).size === 90, `days: ${n.days.length}`);
    assert(!n.days.some((h) => /\d{4}-\d\d-\d\d-\d+\/$/.test(h)), 'no later part in the list of days');
    assert(JSON.stringify(n.marked) === JSON.stringify([['Tuesday 1 December 2026', 'true']]), `marked: ${JSON.stringify(n.marked)}`);
    assert(n.today === null, 'today is this page\'s day: no pointer');
    assert(await p.locator('ol[data-agenda-period] > li:not([hidden])').count() > 0, 'the afternoon\'s meetings are listed');
    assert(errors.length === 0, `page errors: ${errors}`);
    await ctx.close();
  });

  await test('a crowded day\'s part read on another day points to that day\'s first page', async () => {
    for (const [path, clock, want] of [
      ['/calendar/2026-12-01-2/', '2026-12-03T12:00:00Z', '/calendar/2026-12-03/'],
      ['/calendar/2026-12-03/', '2026-12-08T20:00:00Z', '/calendar/2026-12-08/'],
    ]) {
      const { ctx, p, errors } = await page({ timezoneId: 'Asia/Tokyo' }, `${crowdedUrl}${path}`, clock);
      const n = await nav(p);
      assert(n.today === want, `${path} at ${clock}: pointer ${n.today}`);
      assert(errors.length === 0, `page errors: ${errors}`);
      await ctx.close();
    }
  });

  for (const scheme of ['light', 'dark']) {
    await test(`a cut agenda's pages (a month's, a crowded day's part) and an archive page pass axe and fit 320 px (${scheme})`, async () => {
      const problems = [];
      const pages = [[busyUrl, '/calendar/'], [busyUrl, '/calendar/2027-01/'], [busyUrl, '/groups/topic000-wg/meetings/'],
        [crowdedUrl, '/calendar/2026-12-01-2/']];
      for (const [site, path] of pages) {
        const { ctx, p } = await page({ colorScheme: scheme, viewport: { width: 320, height: 640 } }, `${site}${path}`);
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
