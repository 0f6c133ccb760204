// Browser tests of the calendar page's week at a glance and "my groups": the fixture's
// meetings on the right days and hours in Tokyo and Los Angeles, week navigation by keyboard,
// the reader's chosen groups (kept in localStorage) filtering the week and the list, and their
// feed links. Imported by run.mjs, which provides the helpers.

// In the week of Monday 30 November 2026: Auth IG on Wednesday 2 December 17:00Z (09:00 Los
// Angeles, Thursday 02:00 Tokyo) and Ideas IG weekly on Thursday 18:00 Tokyo from 3 December
// (09:00Z, Thursday 01:00 Los Angeles). The week after: Tasks WG on Tuesday 8 December 16:00Z.
export async function weekTests({ test, assert, page, fixtureUrl }) {
  const days = (p) => p.$$eval('[data-week-grid] > li', (lis) => lis.map((li) => ({
    day: li.querySelector('h3').firstChild.textContent.trim(),
    mark: li.querySelector('h3').textContent.includes('(today)'),
    today: li.getAttribute('aria-current') === 'date',
    meetings: [...li.querySelectorAll('.week-meeting')].map((m) => `${m.querySelector('time').textContent} ${m.querySelector('a').textContent}`),
  })));

  for (const [zone, expected] of [
    ['Asia/Tokyo', { 'Thu 3 Dec': ['02:00–02:45 Authorization IG', '18:00–18:30 Ideas IG'] }],
    ['America/Los_Angeles', { 'Wed 2 Dec': ['09:00–09:45 Authorization IG'], 'Thu 3 Dec': ['01:00–01:30 Ideas IG'] }],
  ]) {
    await test(`the week view shows the fixture's meetings on the right days and hours (${zone})`, async () => {
      const { ctx, p, errors } = await page({ timezoneId: zone }, `${fixtureUrl}/calendar/`, '2026-12-01T12:00:00Z');
      const week = await days(p);
      assert(week.length === 7 && week[0].day === 'Mon 30 Nov' && week[6].day === 'Sun 6 Dec', `days: ${week.map((d) => d.day)}`);
      for (const d of week) {
        const want = expected[d.day] || [];
        assert(JSON.stringify(d.meetings) === JSON.stringify(want), `${d.day}: ${JSON.stringify(d.meetings)}, want ${JSON.stringify(want)}`);
      }
      assert(week.filter((d) => d.today && d.mark).map((d) => d.day).join() === 'Tue 1 Dec' && week.filter((d) => d.mark).length === 1, 'today is marked');
      assert(errors.length === 0, `page errors: ${errors}`);
      await ctx.close();
    });
  }

  await test('the week view moves between weeks by keyboard', async () => {
    const { ctx, p } = await page({ timezoneId: 'Asia/Tokyo' }, `${fixtureUrl}/calendar/`, '2026-12-01T12:00:00Z');
    await p.focus('[data-week-current]');
    await p.keyboard.press('Tab');
    assert(await p.evaluate(() => document.activeElement.hasAttribute('data-week-next')), 'Tab reaches "Next week"');
    await p.keyboard.press('Enter');
    let week = await days(p);
    assert(week[0].day === 'Mon 7 Dec', `next week: ${week[0].day}`);
    const wed = week.find((d) => d.day === 'Wed 9 Dec');
    assert(JSON.stringify(wed.meetings) === JSON.stringify(['01:00–02:00 Tasks WG']), `Wed 9 Dec: ${wed.meetings}`);
    assert(!week.some((d) => d.today), 'no day is today in another week');
    assert(/Week of 7 December 2026/.test(await p.textContent('[data-week-range]')), 'the range is announced');
    await p.keyboard.press('Shift+Tab');
    await p.keyboard.press('Shift+Tab');
    assert(await p.evaluate(() => document.activeElement.hasAttribute('data-week-prev')), 'Shift+Tab reaches "Previous week"');
    await p.keyboard.press('Space');
    await p.keyboard.press('Space');
    week = await days(p);
    assert(week[0].day === 'Mon 23 Nov', `two weeks back: ${week[0].day}`);
    await ctx.close();
  });

  await test('my groups: the chosen groups filter the week and the list, list their feeds and are remembered', async () => {
    const { ctx, p } = await page({ timezoneId: 'Asia/Tokyo' }, `${fixtureUrl}/calendar/`, '2026-12-01T12:00:00Z');
    await p.click('[data-mygroups-summary]');
    await p.check('#mine-ideas-ig');
    const thu = (await days(p)).find((d) => d.day === 'Thu 3 Dec');
    assert(JSON.stringify(thu.meetings) === JSON.stringify(['18:00–18:30 Ideas IG']), `Thu: ${thu.meetings}`);
    const groups = await p.$$eval('ol.agenda > li .meeting-what a', (as) => [...new Set(as.map((a) => a.textContent))]);
    assert(JSON.stringify(groups) === JSON.stringify(['Ideas Interest Group']), `agenda: ${groups}`);
    const feeds = await p.$$eval('[data-mygroups-feeds] a', (as) => as.map((a) => a.getAttribute('href')));
    assert(feeds.includes('webcal://groups.example.org/groups/ideas-ig/calendar.ics') && feeds.length === 2, `feeds: ${feeds}`);
    assert((await p.evaluate(() => localStorage.getItem('mcpsite.myGroups'))) === '["ideas-ig"]', 'kept in localStorage');
    await p.reload();
    assert(await p.isChecked('#mine-ideas-ig'), 'remembered after a reload');
    const after = await p.$$eval('ol.agenda > li .meeting-what a', (as) => [...new Set(as.map((a) => a.textContent))]);
    assert(JSON.stringify(after) === JSON.stringify(['Ideas Interest Group']), `agenda after reload: ${after}`);
    await p.click('[data-mygroups-summary]');
    await p.click('[data-mygroups-clear]');
    const all = await p.$$eval('ol.agenda > li .meeting-what a', (as) => new Set(as.map((a) => a.textContent)).size);
    assert(all === 3, `all groups again: ${all}`);
    await ctx.close();
  });

  await test('without JavaScript the calendar page is the list', async () => {
    const { ctx, p } = await page({ javaScriptEnabled: false }, `${fixtureUrl}/calendar/`);
    assert(!(await p.isVisible('[data-week]')) && !(await p.isVisible('[data-mygroups]')), 'week and my groups hidden');
    assert((await p.locator('ol.agenda > li').count()) > 0, 'the agenda is there');
    await ctx.close();
  });
}

// axe (WCAG 2.2 AA) on the calendar page with the week drawn and "my groups" open and in use,
// light and dark, and no sideways scrolling at 320 px in that state.
export async function weekAxeTests({ test, assert, page, fixtureUrl, AxeBuilder }) {
  const open = async (opts) => {
    const r = await page({ timezoneId: 'America/Los_Angeles', ...opts }, `${fixtureUrl}/calendar/`, '2026-12-01T12:00:00Z');
    await r.p.click('[data-mygroups-summary]');
    await r.p.check('#mine-auth-ig');
    return r;
  };
  for (const scheme of ['light', 'dark']) {
    await test(`axe finds no WCAG 2.2 AA violations in the week view and my groups (${scheme})`, async () => {
      const { ctx, p } = await open({ colorScheme: scheme });
      const r = await new AxeBuilder({ page: p }).withTags(['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa']).analyze();
      assert(r.violations.length === 0, r.violations.map((v) => `${v.id} (${v.nodes.length}): ${v.nodes[0].html}`).join('; '));
      await ctx.close();
    });
  }
  await test('the week view and my groups fit 320 px', async () => {
    const { ctx, p } = await open({ viewport: { width: 320, height: 640 } });
    const [sw, cw] = await p.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
    assert(sw <= cw, `${sw}px > ${cw}px`);
    const columns = await p.$eval('[data-week-grid]', (g) => getComputedStyle(g).gridTemplateColumns.split(' ').length);
    assert(columns === 1, `a list of days on a narrow screen, got ${columns} columns`);
    await ctx.close();
  });
}
