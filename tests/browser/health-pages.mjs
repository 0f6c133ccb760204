// Browser tests of the health page in pages (the real site, 10 rows a page): the navigation
// leads from page to page by mouse and keyboard, and every page passes axe and fits 320 px like
// the one-page version. Called by run.mjs with its helpers.

import { withHealthPages } from './fixture.mjs';

export async function healthPageTests({ test, assert, page, build, serve, AxeBuilder, repo }) {
  const server = await serve(build(withHealthPages(repo, 10), 'health-pages'));
  const url = `http://127.0.0.1:${server.address().port}`;
  const paths = ['/health/', '/health/2/', '/health/3/'];
  const navOf = (p) => p.getByRole('navigation', { name: 'Pages of the health table', exact: true });

  await test('the health pages link to each other: next, previous and numbers', async () => {
    const { ctx, p, errors } = await page({}, `${url}/health/`);
    assert(await navOf(p).getByRole('link', { name: 'Page 1' }).getAttribute('aria-current') === 'page', 'page 1 is current');
    await navOf(p).getByRole('link', { name: 'Next page' }).click();
    await p.waitForURL(`${url}/health/2/`);
    assert(/page 2 of \d+/.test(await p.title()), `title: ${await p.title()}`);
    assert(await navOf(p).getByRole('link', { name: 'Page 2' }).getAttribute('aria-current') === 'page', 'page 2 is current');
    await navOf(p).getByRole('link', { name: 'Previous page' }).focus();
    await p.keyboard.press('Enter');
    await p.waitForURL(`${url}/health/`);
    assert(errors.length === 0, `page errors: ${errors}`);
    await ctx.close();
  });

  for (const scheme of ['light', 'dark']) {
    await test(`axe finds no WCAG 2.2 AA violations on the health pages (${scheme})`, async () => {
      const problems = [];
      for (const path of paths) {
        const { ctx, p } = await page({ colorScheme: scheme }, `${url}${path}`);
        const r = await new AxeBuilder({ page: p }).withTags(['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa']).analyze();
        for (const v of r.violations) problems.push(`${path}: ${v.id} (${v.nodes.length})`);
        await ctx.close();
      }
      assert(problems.length === 0, problems.join('; '));
    });
  }

  await test('no sideways scrolling at 320 px on the health pages', async () => {
    const wide = [];
    for (const path of paths) {
      const { ctx, p } = await page({ viewport: { width: 320, height: 640 } }, `${url}${path}`);
      const [sw, cw] = await p.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
      if (sw > cw) wide.push(`${path}: ${sw}px > ${cw}px`);
      await ctx.close();
    }
    assert(wide.length === 0, wide.join('; '));
  });

  server.close();
}
