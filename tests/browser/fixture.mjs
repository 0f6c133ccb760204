// Sites for the browser tests and the validators: the `basic` fixture site with the built-in
// theme (the fixture's own theme, themes/fixture/, chosen in its mcpsite.toml, keeps its golden
// output apart from the built-in theme, which is what these tests are about), and a site whose
// health page comes in several pages.

import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// A copy of the fixture at `root` without its theme; throws if its config names no theme.
export function withBuiltInTheme(root) {
  const copy = join(mkdtempSync(join(tmpdir(), 'mcpsite-fixture-src-')), 'site');
  cpSync(root, copy, { recursive: true, filter: (src) => !src.startsWith(join(root, 'themes')) });
  const cfg = join(copy, 'mcpsite.toml');
  const text = readFileSync(cfg, 'utf8');
  if (!/^theme = "fixture"\n/m.test(text)) throw new Error(`no theme line in ${cfg}`);
  writeFileSync(cfg, text.replace(/^theme = "fixture"\n/m, ''));
  return copy;
}

// A copy of the site at `root` (its settings, content, themes and static files) whose health
// page holds at most `rows` rows, so that `/health/` comes in several pages; throws if its config
// has no `[health]` table.
export function withHealthPages(root, rows) {
  const copy = join(mkdtempSync(join(tmpdir(), 'mcpsite-health-pages-')), 'site');
  for (const part of ['mcpsite.toml', 'content', 'themes', 'static']) {
    if (existsSync(join(root, part))) cpSync(join(root, part), join(copy, part), { recursive: true });
  }
  const cfg = join(copy, 'mcpsite.toml');
  const text = readFileSync(cfg, 'utf8');
  if (!/^\[health\]\n/m.test(text)) throw new Error(`no [health] table in ${cfg}`);
  writeFileSync(cfg, text.replace(/^\[health\]\n/m, `[health]\nrows_per_page = ${rows}\n`));
  return copy;
}
