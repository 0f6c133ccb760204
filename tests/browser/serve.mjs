// `mcpsite serve` in a real browser: the injected script reloads the page after an edit, shows
// a broken page's error over the last good build, and recovers when the file is fixed.
//
// Usage: node tests/browser/serve.mjs   (after `cargo build`; uses Debian's chromium)
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const bin = join(repo, "target", "debug", "mcpsite");
const dir = mkdtempSync(join(tmpdir(), "mcpsite-serve-browser-"));
const root = join(dir, "site");
cpSync(join(repo, "tests", "fixtures", "sites", "serve"), root, { recursive: true });
const page = join(root, "content", "groups", "beta-wg.md");
const original = readFileSync(page, "utf8");

/** Saves like vim or JetBrains do: a temporary file renamed over the page. */
function save(text) {
  writeFileSync(page + "___jb_tmp___", text);
  renameSync(page + "___jb_tmp___", page);
}

const server = spawn(bin, ["serve", "--root", root, "--port", "0"], { stdio: ["ignore", "ignore", "pipe"] });
let log = "";
const url = await new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error("no URL printed:\n" + log)), 20000);
  server.stderr.on("data", (chunk) => {
    log += chunk;
    const m = log.match(/^serving (http:\/\/\S+)/m);
    if (m) { clearTimeout(timer); resolve(m[1]); }
  });
  server.on("exit", (code) => reject(new Error(`serve exited (${code}):\n` + log)));
});

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium" });
let failed = false;
try {
  const tab = await browser.newPage();
  // The hook must work under the theme's Content-Security-Policy (script-src/style-src 'self').
  const refused = [];
  tab.on("console", (m) => { if (/Content Security Policy|Refused to/.test(m.text())) refused.push(m.text()); });
  await tab.goto(url + "groups/beta-wg/");
  const csp = (await tab.evaluate(async () => (await fetch(location.href)).headers.get("content-security-policy"))) || "";
  if (!csp.includes("script-src 'self'")) throw new Error("page served without the theme's CSP: " + csp);
  const text = () => tab.evaluate(() => document.body.textContent);
  if (!(await text()).includes("Beta")) throw new Error("page did not load");
  // A second tab on another page: every open tab reloads.
  const other = await browser.newPage();
  await other.goto(url + "groups/alpha-ig/");
  const buildOf = (t) => t.evaluate(() => document.querySelector("script[data-build]").dataset.build);
  const otherBuild = await buildOf(other);
  // The polls are running before we edit.
  await tab.waitForTimeout(300);

  // 1. An edit reloads the page with the new content, and the other tab too.
  save(original.replace('name = "Beta"', 'name = "Beta Edited"'));
  await tab.waitForFunction(() => document.body.textContent.includes("Beta Edited"), null, { timeout: 10000 });
  await other.waitForFunction(
    (b) => { const s = document.querySelector("script[data-build]"); return s && s.dataset.build !== b; },
    otherBuild, { timeout: 10000 });
  console.log("ok: edit reloads the page and every other open tab");

  // 2. A broken page shows its error over the last good build.
  save(original.replace('status = "active"', 'status = "active"\nstauts = 1'));
  const overlay = tab.locator("#mcpsite-errors");
  await overlay.waitFor({ state: "visible", timeout: 10000 });
  const shown = await overlay.textContent();
  if (!shown.includes("content/groups/beta-wg.md:6:1") || !shown.includes("frontmatter-unknown-key")) {
    throw new Error("overlay does not name file, line and rule: " + shown);
  }
  if (!(await text()).includes("Beta Edited")) throw new Error("the last good page is gone");
  const position = await overlay.evaluate((el) => getComputedStyle(el).position);
  if (position !== "fixed") throw new Error("overlay is not styled (position " + position + ")");
  console.log("ok: error overlay names file:line:col and rule");

  // 3. Fixing the file recovers: the overlay goes and the page reloads.
  save(original.replace('name = "Beta"', 'name = "Beta Fixed"'));
  await tab.waitForFunction(() => document.body.textContent.includes("Beta Fixed"), null, { timeout: 10000 });
  if (await overlay.count()) throw new Error("overlay still shown after the fix");
  console.log("ok: fixing the file recovers without a restart");
  if (refused.length) throw new Error("CSP refused something: " + refused.join("; "));
  console.log("ok: no Content-Security-Policy violations");
} catch (e) {
  failed = true;
  console.error("FAIL:", e.message, "\nserve log:\n" + log);
} finally {
  await browser.close();
  server.kill("SIGINT");
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
