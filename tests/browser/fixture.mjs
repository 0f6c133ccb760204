// The `basic` fixture site with the built-in theme, for the browser tests and the validators:
// the fixture's own theme (themes/fixture/, chosen in its mcpsite.toml) keeps its golden output
// apart from the built-in theme, which is what these tests are about.

import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
