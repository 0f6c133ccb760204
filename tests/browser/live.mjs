// Browser tests of the pages' live meetings and "add to my calendar" links: the site is built
// for 2026-11-24 and opened with the reader's clock set later (Playwright's page.clock), in
// emulated zones east and west of UTC. Imported by run.mjs, which provides the helpers.

// Auth IG (fixture): every other Wednesday 09:00 America/Los_Angeles, 45 minutes; 2026-12-16
// moved to Thursday 2026-12-17 10:00 (18:00Z), 2026-12-30 cancelled; the next after that is
// 2027-01-13 17:00Z; after the US change on 2027-03-14 the 2027-03-24 meeting is 16:00Z.
export async function liveTests({ test, assert, page, localText, fixtureUrl }) {
  const whens = (p) => p.$$eval('ul.upcoming > li', (lis) => lis.map((li) => ({
    utc: li.querySelector('time').getAttribute('datetime'),
    text: li.textContent.replace(/\s+/g, ' ').trim(),
  })));

  for (const [zone, re] of [['Asia/Tokyo', /Thu.*14 Jan 2027.*02:00/], ['America/New_York', /Wed.*13 Jan 2027.*12:00/]]) {
    await test(`on 2026-12-20 the group page's next meeting is right (${zone})`, async () => {
      const { ctx, p, errors } = await page({ timezoneId: zone }, `${fixtureUrl}/groups/auth-ig/`, '2026-12-20T12:00:00Z');
      const list = await whens(p);
      assert(list.length === 6, `six upcoming meetings, got ${list.length}`);
      assert(list[0].utc === '2026-12-30T17:00:00Z' && /Cancelled/.test(list[0].text), `first: ${JSON.stringify(list[0])}`);
      assert(list[1].utc === '2027-01-13T17:00:00Z' && !/Cancelled/.test(list[1].text), `next held: ${JSON.stringify(list[1])}`);
      assert(/Wednesday 13 January 2027, 09:00–09:45 PST \(America\/Los_Angeles\)/.test(list[1].text), list[1].text);
      const facts = await p.getAttribute('[data-next="auth-ig"] time', 'datetime');
      assert(facts === '2027-01-13T17:00:00Z', `the page's "Next meeting": ${facts}`);
      const t = await localText(p, '2027-01-13T17:00:00Z');
      assert(t && re.test(t), `reader's time: ${t}`);
      // The ended meetings moved to the notes list, newest first, as a fresh build lists them.
      const archive = await p.$$eval('ul[data-archive] > li', (lis) => lis.slice(0, 2).map((li) => li.textContent.replace(/\s+/g, ' ').trim()));
      assert(/^17 December 2026: notes/.test(archive[0]) && /^2 December 2026: notes/.test(archive[1]), `archive: ${archive}`);
      const notes = await p.getAttribute('ul[data-archive] > li:first-child a', 'href');
      assert(notes === 'https://github.com/example/spec/discussions/auth-2026-12-16', `moved meeting's notes: ${notes}`);
      assert(!(await p.isVisible('[data-as-of]')), 'no "as of" note with script');
      assert(errors.length === 0, `page errors: ${errors}`);
      await ctx.close();
    });
  }

  await test('after a cancelled meeting\'s date it is not "next" (directory card and group page)', async () => {
    const { ctx, p } = await page({ timezoneId: 'Europe/Berlin' }, `${fixtureUrl}/`, '2026-12-31T08:00:00Z');
    const next = await p.getAttribute('.card[data-slug="auth-ig"] [data-next] time', 'datetime');
    assert(next === '2027-01-13T17:00:00Z', `card next: ${next}`);
    await p.goto(`${fixtureUrl}/groups/auth-ig/`);
    const list = await whens(p);
    assert(list[0].utc === '2027-01-13T17:00:00Z', `first upcoming: ${JSON.stringify(list[0])}`);
    assert(!list.some((m) => m.utc === '2026-12-30T17:00:00Z'), 'the cancelled meeting is gone');
    await ctx.close();
  });

  await test('a meeting in progress stays listed; one that ended is dropped', async () => {
    const { ctx, p } = await page({ timezoneId: 'UTC' }, `${fixtureUrl}/groups/auth-ig/`, '2026-12-02T17:30:00Z');
    assert((await whens(p))[0].utc === '2026-12-02T17:00:00Z', 'in progress at 17:30Z');
    await ctx.close();
    const later = await page({ timezoneId: 'UTC' }, `${fixtureUrl}/groups/auth-ig/`, '2026-12-02T17:46:00Z');
    assert((await whens(later.p))[0].utc === '2026-12-17T18:00:00Z', 'ended at 17:45Z: the moved meeting is next');
    await later.ctx.close();
  });

  await test('across the March 2027 US DST change the times shown are right', async () => {
    for (const [zone, re] of [['Europe/Berlin', /24 Mar 2027.*17:00/], ['Asia/Tokyo', /25 Mar 2027.*01:00/], ['America/New_York', /24 Mar 2027.*12:00/]]) {
      const { ctx, p } = await page({ timezoneId: zone }, `${fixtureUrl}/groups/auth-ig/`, '2027-03-01T00:00:00Z');
      const list = await whens(p);
      const winter = list.find((m) => m.utc === '2027-03-10T17:00:00Z');
      const summer = list.find((m) => m.utc === '2027-03-24T16:00:00Z');
      assert(winter && /09:00–09:45 PST/.test(winter.text), `${zone}: 10 March, PST: ${JSON.stringify(winter)}`);
      assert(summer && /Wednesday 24 March 2027, 09:00–09:45 PDT/.test(summer.text), `${zone}: 24 March, PDT: ${JSON.stringify(summer)}`);
      const t = await localText(p, '2027-03-24T16:00:00Z');
      assert(t && re.test(t), `${zone}: reader's time ${t}`);
      await ctx.close();
    }
  });

  await test('without JavaScript the "as of" date is shown with the build\'s lists', async () => {
    const { ctx, p } = await page({ timezoneId: 'Asia/Tokyo', javaScriptEnabled: false }, `${fixtureUrl}/groups/auth-ig/`, '2026-12-20T12:00:00Z');
    const asOf = await p.textContent('[data-as-of]');
    assert(/as of 24 November 2026/.test(asOf), `got: ${asOf}`);
    assert((await whens(p))[0].utc === '2026-12-02T17:00:00Z', 'the server-rendered list stays');
    await p.goto(`${fixtureUrl}/`);
    assert(/as of 24 November 2026/.test(await p.textContent('[data-as-of]')), 'the directory says it too');
    await ctx.close();
  });

  await test('the add-to-calendar links of a meeting the script lists carry its exact instants', async () => {
    const { ctx, p } = await page({ timezoneId: 'Asia/Tokyo' }, `${fixtureUrl}/groups/auth-ig/`, '2027-03-01T00:00:00Z');
    const li = p.locator('ul.upcoming > li', { has: p.locator('time[datetime="2027-03-24T16:00:00Z"]') });
    const google = new URL(await li.locator('a', { hasText: 'Google' }).getAttribute('href'));
    assert(google.searchParams.get('dates') === '20270324T160000Z/20270324T164500Z', google.href);
    assert(google.searchParams.get('ctz') === 'America/Los_Angeles', google.href);
    assert(google.searchParams.get('details').includes('https://groups.example.org/groups/auth-ig/'), google.href);
    const outlook = new URL(await li.locator('a', { hasText: 'Outlook' }).getAttribute('href'));
    assert(outlook.searchParams.get('startdt') === '2027-03-24T16:00:00Z' && outlook.searchParams.get('enddt') === '2027-03-24T16:45:00Z', outlook.href);
    // The agenda's links (the script's): a moved meeting links its new time, a cancelled one none.
    await p.clock.setFixedTime(new Date('2026-11-24T12:00:00Z'));
    await p.goto(`${fixtureUrl}/calendar/`);
    const moved = p.locator('ol.agenda > li', { has: p.locator('time[datetime="2026-12-17T18:00:00Z"]') });
    const mg = new URL(await moved.locator('a', { hasText: 'Google' }).getAttribute('href'));
    assert(mg.searchParams.get('dates') === '20261217T180000Z/20261217T184500Z', mg.href);
    const cancelled = p.locator('ol.agenda > li', { has: p.locator('time[datetime="2026-12-30T17:00:00Z"]') });
    assert((await cancelled.count()) === 1 && (await cancelled.locator('.add-cal').count()) === 0, 'no links for a cancelled meeting');
    await ctx.close();
  });
}

// On the build's own day the script's lists say what the server wrote (the script mirrors the
// templates), so readers with and without script see the same meetings.
export async function sameAsServerTests({ test, assert, browser, page, urls }) {
  // Text without white space (the templates' indentation) and without the reader's-time lines
  // the script adds to both.
  const lists = (p) => p.$$eval('ul.upcoming > li, ol.agenda > li, [data-next]:not([hidden])', (els) => els.map((e) => [
    [...e.querySelectorAll('*')].filter((n) => !n.closest('.local-time')).length && (() => {
      const c = e.cloneNode(true);
      c.querySelectorAll('.local-time').forEach((n) => n.remove());
      // The agenda's add-to-calendar links are the script's alone (page weight).
      if (e.matches('ol.agenda > li')) c.querySelectorAll('.add-cal').forEach((n) => n.remove());
      return c.textContent.replace(/\s+/g, '');
    })(),
    [...e.querySelectorAll('a, time')].filter((a) => !(e.matches('ol.agenda > li') && a.closest('.add-cal'))).map((a) => a.getAttribute('href') || a.getAttribute('datetime')).join(' '),
  ]));
  for (const url of urls) {
    await test(`the script's lists equal the server's on the build date: ${url.replace(/^http:\/\/[^/]+/, '')}`, async () => {
      const off = await page({ timezoneId: 'UTC', javaScriptEnabled: false }, url, '2026-11-24T00:00:00Z');
      const server = await lists(off.p);
      await off.ctx.close();
      const on = await page({ timezoneId: 'UTC' }, url, '2026-11-24T00:00:00Z');
      const script = await lists(on.p);
      await on.ctx.close();
      assert(server.length > 0, 'the page lists meetings');
      assert(JSON.stringify(server) === JSON.stringify(script),
        `differs:\n${server.map((s, i) => JSON.stringify(s) === JSON.stringify(script[i]) ? '' : `server ${JSON.stringify(s)}\nscript ${JSON.stringify(script[i])}`).filter(Boolean).slice(0, 3).join('\n')}`);
    });
  }
}
