// A person logs in and finds a commune through the unit search, in Debian's
// headless Chromium, against the real antq binary on a fresh database.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { start, login, results } from "./lib/app.mjs";

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.stop();
});

test("a commune officer logs in and finds a commune by typing without accents", async () => {
  const { base } = env;
  const page = await login(env, "ca.muongphang");
  const welcome = await page.locator("h1").textContent();
  assert.match(welcome, /Xin chào, Công an xã Mường Phăng/);
  assert.match(await page.locator("table").textContent(), /Xã Mường Phăng/);

  await page.goto(`${base}/don-vi`);
  // htmx swaps the results in while the person types, and the address
  // follows the search (so the back button works), without a page load.
  await page.evaluate(() => { window.__samePage = true; });
  await page.fill("#unit-search", "muong phang");
  const hit = page.locator("#results a", { hasText: "Xã Mường Phăng" });
  await hit.waitFor({ timeout: 15_000 });
  assert.equal(await page.evaluate(() => window.__samePage), true, "the list updated without a page load");
  assert.match(page.url(), /\/don-vi\?.*q=muong(%20|\+)phang/);
  await page.screenshot({ path: join(results, "unit-search.png"), fullPage: true });
  await Promise.all([page.waitForURL(/\/don-vi\/03325/), hit.first().click()]);
  assert.equal(await page.locator("#unit-name").textContent(), "Xã Mường Phăng");
  // The officer sees their commune's areas (from the demo) and may register one.
  assert.match(await page.locator("#areas").textContent(), /Bản Phăng/);
  await page.fill("form[action='/don-vi/03325/khu-dan-cu'] input[name=name]", "Bản Kiểm Thử");
  await page.click("form[action='/don-vi/03325/khu-dan-cu'] button");
  await page.waitForSelector("text=Bản Kiểm Thử");
  assert.match(await page.locator(".flash.ok").textContent(), /Đã tạo/);
  await page.screenshot({ path: join(results, "unit-page.png"), fullPage: true });

  // Another commune: the unit is public, its areas are not.
  await page.goto(`${base}/don-vi/03127`);
  assert.equal(await page.locator("#unit-name").textContent(), "Phường Điện Biên Phủ");
  assert.equal(await page.locator("#areas").count(), 0);
  await page.close();
});

test("the search also works as a plain form, and in English", async () => {
  const page = await env.browser.newPage({ javaScriptEnabled: false });
  await page.goto(`${env.base}/don-vi?q=%C4%90I%E1%BB%86N+BI%C3%8AN&level=province`);
  assert.match(await page.locator("#results").textContent(), /Tỉnh Điện Biên/);
  await page.click("a.lang");
  assert.match(await page.locator("h1").textContent(), /Administrative units/);
  await page.close();
});
