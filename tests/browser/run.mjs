// Browser tests for the built site, in headless Chromium (Debian's package) driven by
// playwright-core: meeting times in the reader's own zone under two emulated zones, the canonical
// times without JavaScript, accessibility (axe, WCAG 2.2 AA) in light and dark, and no sideways
// scrolling at 320 px. Prints "N passed, M failed" and exits non-zero on any failure.
//
// Run from the repository root after `cargo build`: node tests/browser/run.mjs

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, extname, normalize } from 'node:path';
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { healthPageTests } from './health-pages.mjs';
import { liveTests, sameAsServerTests } from './live.mjs';
import { weekTests, weekAxeTests } from './week.mjs';
import { withBuiltInTheme } from './fixture.mjs';
import { busySite, crowdedSite, periodTests } from './periods.mjs';

const repo = new URL('../..', import.meta.url).pathname;
const bin = join(repo, 'target/debug/mcpsite');
const chrome = process.env.CHROME_BIN || '/usr/bin/chromium';

let passed = 0;
let failed = 0;
async function test(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok - ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAILED - ${name}\n  ${String(e && e.stack || e).split('\n').join('\n  ')}`);
  }
}
function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

// Build a site with a fixed "today" so the upcoming meetings are known.
function build(root, name, today = '2026-11-24') {
  const out = join(mkdtempSync(join(tmpdir(), `mcpsite-${name}-`)), 'public');
  execFileSync(bin, ['build', '--root', root, '--output-dir', out, '--today', today], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, TZ: 'UTC' },
  });
  return out;
}

const types = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.ics': 'text/calendar; charset=utf-8',
  '.xml': 'application/xml',
};
// A minimal static server for the built folder (loopback only).
function serve(dir) {
  const server = createServer((req, res) => {
    let path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    if (path.includes('..')) { res.writeHead(400); res.end(); return; }
    let file = join(dir, path);
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) { res.writeHead(404); res.end(readFileSync(join(dir, '404.html'))); return; }
    res.writeHead(200, { 'content-type': types[extname(file)] || 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const fixture = build(withBuiltInTheme(join(repo, 'tests/fixtures/sites/basic')), 'fixture');
const real = build(repo, 'real');
const fixtureServer = await serve(fixture);
const realServer = await serve(real);
const fixtureUrl = `http://127.0.0.1:${fixtureServer.address().port}`;
const realUrl = `http://127.0.0.1:${realServer.address().port}`;
const busyServer = await serve(build(busySite(), 'busy'));
const busyUrl = `http://127.0.0.1:${busyServer.address().port}`;
const crowdedServer = await serve(build(crowdedSite(), 'crowded'));
const crowdedUrl = `http://127.0.0.1:${crowdedServer.address().port}`;

const browser = await chromium.launch({
  executablePath: chrome,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
         '--disable-sync', '--no-first-run', '--disable-quic'],
});

// `clock`: the reader's date (an ISO instant) the page is opened at; by default midday of the
// day the site is built for (2026-11-24), so no test depends on the real date.
async function page(opts, url, clock = '2026-11-24T12:00:00Z') {
  const ctx = await browser.newContext({ locale: 'en-GB', ...opts });
  const p = await ctx.newPage();
  const errors = [];
  p.on('pageerror', (e) => errors.push(e.message));
  await p.clock.setFixedTime(new Date(clock));
  await p.goto(url, { waitUntil: 'load' });
  return { ctx, p, errors };
}

// The "your time" text next to the meeting whose canonical UTC start is `utc`.
async function localText(p, utc) {
  const el = p.locator(`time[datetime="${utc}"] + .local-time`).first();
  if (!(await el.isVisible())) return null;
  return (await el.textContent()).trim();
}

// Auth IG (fixture): every other Wednesday 09:00 America/Los_Angeles; the next after 2026-11-24
// is 2026-12-02 17:00Z, and the 2026-12-16 meeting moved to Thursday 2026-12-17 10:00 (18:00Z).
await test('Tokyo reader sees fixture meetings in JST, with the group zone kept', async () => {
  const { ctx, p, errors } = await page({ timezoneId: 'Asia/Tokyo' }, `${fixtureUrl}/groups/auth-ig/`);
  const t = await localText(p, '2026-12-02T17:00:00Z');
  assert(t && /Thu/.test(t) && /3 Dec 2026/.test(t) && /02:00/.test(t) && /02:45/.test(t) && /GMT\+9/.test(t), `got: ${t}`);
  const moved = await localText(p, '2026-12-17T18:00:00Z');
  assert(moved && /18 Dec 2026/.test(moved) && /03:00/.test(moved), `moved meeting: ${moved}`);
  const body = await p.textContent('body');
  assert(/09:00.09:45 PST \(America\/Los_Angeles\)/.test(body), 'canonical time in the group zone is shown');
  assert(/cancel/i.test(body) && /Winter holidays/.test(body), 'the cancellation is visible');
  assert(errors.length === 0, `page errors: ${errors}`);
  await ctx.close();
});

await test('Berlin reader sees the same meetings in CET', async () => {
  const { ctx, p } = await page({ timezoneId: 'Europe/Berlin' }, `${fixtureUrl}/groups/auth-ig/`);
  const t = await localText(p, '2026-12-02T17:00:00Z');
  assert(t && /Wed/.test(t) && /2 Dec 2026/.test(t) && /18:00/.test(t) && /18:45/.test(t) && /CET/.test(t), `got: ${t}`);
  await ctx.close();
});

// MCP Apps WG (real content): every third Wednesday 08:00 Los Angeles; on 2027-03-24 Los Angeles
// is already on PDT (15:00Z) while Berlin is still on CET (16:00) and Tokyo has no DST (00:00).
await test('across the US DST change the reader times follow tzdb', async () => {
  for (const [zone, re] of [['Europe/Berlin', /24 Mar 2027.*16:00/], ['Asia/Tokyo', /25 Mar 2027.*00:00/]]) {
    const { ctx, p } = await page({ timezoneId: zone }, `${realUrl}/groups/apps-wg/`);
    const winter = await localText(p, '2027-03-03T16:00:00Z');
    const summer = await localText(p, '2027-03-24T15:00:00Z');
    assert(winter, `${zone}: the 2027-03-03 meeting (16:00Z in PST) is listed`);
    assert(summer && re.test(summer), `${zone}: got ${summer}`);
    await ctx.close();
  }
});

await test('a reader in the group zone is not shown a duplicate time', async () => {
  const { ctx, p } = await page({ timezoneId: 'America/Los_Angeles' }, `${fixtureUrl}/groups/auth-ig/`);
  assert((await localText(p, '2026-12-02T17:00:00Z')) === null, 'no "your time" line for the same zone');
  await ctx.close();
});

await test('without JavaScript the canonical times remain', async () => {
  const { ctx, p } = await page({ timezoneId: 'Asia/Tokyo', javaScriptEnabled: false }, `${fixtureUrl}/groups/auth-ig/`);
  const text = await p.textContent('time[datetime="2026-12-02T17:00:00Z"]');
  assert(/2 December 2026/.test(text) && /09:00/.test(text), `got: ${text}`);
  assert((await localText(p, '2026-12-02T17:00:00Z')) === null, 'no local line without JS');
  await ctx.close();
});

await liveTests({ test, assert, page, localText, fixtureUrl });

// The same site built three months later: what a fresh build shows on the day the reader looks.
const later = build(repo, 'real-later', '2027-03-01');
const laterServer = await serve(later);
await test('past meetings move to the notes list as a fresh build puts them', async () => {
  const archive = (p) => p.$$eval('#meetings ul.archive', (uls) => uls.map((ul) => [...ul.children].map((li) => li.textContent.replace(/\s+/g, ' ').trim())));
  const summary = (p) => p.$eval('#meetings details.older summary', (s) => s.textContent.trim());
  for (const group of ['apps-wg', 'transports-wg']) {
    const live = await page({ timezoneId: 'Asia/Tokyo' }, `${realUrl}/groups/${group}/`, '2027-03-01T00:00:00Z');
    const fresh = await page({ timezoneId: 'Asia/Tokyo', javaScriptEnabled: false }, `http://127.0.0.1:${laterServer.address().port}/groups/${group}/`, '2027-03-01T00:00:00Z');
    const [a, b] = [await archive(live.p), await archive(fresh.p)];
    assert(b[0].length === 12 && b[1].length > 0, `${group}: the fresh build has 12 recent and older meetings`);
    assert(JSON.stringify(a) === JSON.stringify(b), `${group}:\nscript ${JSON.stringify(a).slice(0, 400)}\nfresh  ${JSON.stringify(b).slice(0, 400)}`);
    assert((await summary(live.p)) === (await summary(fresh.p)), `${group}: ${await summary(live.p)}`);
    await live.ctx.close();
    await fresh.ctx.close();
  }
});
laterServer.close();
await weekTests({ test, assert, page, fixtureUrl });
await weekAxeTests({ test, assert, page, fixtureUrl, AxeBuilder });
await sameAsServerTests({ test, assert, page, urls: [
  `${fixtureUrl}/`, `${fixtureUrl}/ig/`, `${fixtureUrl}/groups/auth-ig/`, `${fixtureUrl}/groups/tasks-wg/`, `${fixtureUrl}/groups/ideas-ig/`,
  `${fixtureUrl}/calendar/`, `${realUrl}/`, `${realUrl}/groups/apps-wg/`, `${realUrl}/calendar/`,
] });

await test('on a phone (390 x 844) the directory shows groups in the first screen, the prose after them', async () => {
  const { ctx, p } = await page({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }, `${realUrl}/`);
  const card = await p.locator('.card').first().locator('h3').boundingBox();
  assert(card && card.y + card.height <= 844, `first group's name ends at ${card && card.y + card.height}px`);
  const [dir, about] = await p.evaluate(() => ['#directory', '#about-groups'].map((s) => document.querySelector(s).getBoundingClientRect().top));
  assert(dir < about, 'the explanatory prose comes after the directory');
  await ctx.close();
});

await test('the directory filter narrows the list by kind', async () => {
  const { ctx, p } = await page({}, `${realUrl}/`);
  const visible = async () => p.locator('[data-kind]:visible').count();
  const all = await visible();
  await p.selectOption('select[name="kind"], #filter-kind', 'wg');
  await p.waitForTimeout(50);
  const wgs = await visible();
  const igShown = await p.locator('[data-kind="ig"]:visible').count();
  assert(all > wgs && wgs > 0 && igShown === 0, `all=${all} wg=${wgs} ig=${igShown}`);
  await ctx.close();
});

await healthPageTests({ test, assert, page, build, serve, AxeBuilder, repo });

const pages = ['/', '/groups/apps-wg/', '/groups/auth-ig/', '/groups/auth-wg/', '/calendar/', '/wg/', '/404.html', '/health/', '/groups/agents-wg/'];
for (const scheme of ['light', 'dark']) {
  await test(`axe finds no WCAG 2.2 AA violations (${scheme})`, async () => {
    const problems = [];
    for (const path of pages) {
      const { ctx, p } = await page({ colorScheme: scheme, timezoneId: 'Europe/Berlin' }, `${realUrl}${path}`);
      const r = await new AxeBuilder({ page: p }).withTags(['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa']).analyze();
      for (const v of r.violations) problems.push(`${path}: ${v.id} (${v.nodes.length})`);
      await ctx.close();
    }
    assert(problems.length === 0, problems.join('; '));
  });
}

await test('no sideways scrolling at 320 px', async () => {
  const wide = [];
  for (const path of pages) {
    const { ctx, p } = await page({ viewport: { width: 320, height: 640 } }, `${realUrl}${path}`);
    const [sw, cw] = await p.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
    if (sw > cw) wide.push(`${path}: ${sw}px > ${cw}px`);
    await ctx.close();
  }
  assert(wide.length === 0, wide.join('; '));
});

await periodTests({ test, assert, page, busyUrl, crowdedUrl, AxeBuilder });

await browser.close();
busyServer.close();
crowdedServer.close();
fixtureServer.close();
realServer.close();
console.log(`browser: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
