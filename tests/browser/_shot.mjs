import { chromium } from "playwright-core";
const [url, out, when, width] = process.argv.slice(2);
const b = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox","--disable-gpu","--disable-background-networking","--disable-component-update","--no-first-run"] });
const p = await b.newPage({ viewport: { width: Number(width||1000), height: 1400 } });
await p.clock.setFixedTime(new Date(when));
await p.goto(url);
await p.screenshot({ path: out });
console.log(await p.evaluate(() => [document.querySelectorAll("ol[data-agenda-period] > li:not([hidden])").length, document.querySelector(".agenda-today")?.textContent, document.documentElement.scrollWidth]));
await b.close();
