// The portal's news as a reader sees it, on a phone (390 px): the home page
// with the demo's articles, "Xem thêm" appending the next items without a
// page load (htmx), an article with its related news, and the same list
// without JavaScript (plain pages). axe finds nothing critical or serious on
// the home page, a province's page and an article.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { start, axe } from "./lib/app.mjs";

const phone = { viewport: { width: 390, height: 844 } };
let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.stop();
});

async function noViolations(page, what) {
  const found = await axe(page);
  assert.deepEqual(found, [], `${what}: ${JSON.stringify(found, null, 1)}`);
}

async function fitsThePhone(page, what) {
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 390, `${what} is ${wide}px wide`);
}

test("a reader goes through the news with 'Xem thêm' and related news", async () => {
  const { base, browser } = env;
  const page = await browser.newPage(phone);
  await page.goto(base + "/");
  assert.equal(await page.locator("html").getAttribute("lang"), "vi");
  assert.equal(await page.locator("h1").textContent(), "Tin tức");
  const items = page.locator(".news-item");
  assert.equal(await items.count(), 10);
  await noViolations(page, "home");
  await fitsThePhone(page, "home");

  // "Xem thêm": ten more items appended, the address unchanged.
  const url = page.url();
  await page.locator("#news-next a").click();
  await page.waitForFunction(() => document.querySelectorAll(".news-item").length > 10);
  assert.equal(await items.count(), 20);
  assert.equal(page.url(), url);
  // The pager follows: it now says page 2.
  assert.match(await page.locator("#news-pager span").textContent(), /^Trang 2\//);

  // An article of the 10-year review of Điện Biên, with related news.
  await page.goto(base + "/tin-tuc/chu-de/so-ket-tong-ket");
  await page.locator(".news-item h3 a", { hasText: "Điện Biên" }).first().click();
  await page.waitForSelector("#article-title");
  const title = await page.locator("#article-title").textContent();
  assert.match(title, /Điện Biên.*tổng kết 10 năm/i);
  const body = await page.locator(".portal-article").textContent();
  assert.match(body, /Chương trình phối hợp số 09/);
  const related = page.locator(".related-list li");
  assert.ok((await related.count()) >= 3, "related news");
  await noViolations(page, "article");
  await fitsThePhone(page, "article");
  // "Góp ý, đính chính bài này": the form addressed to Điện Biên's editors
  // (the article was written by the province before 2025), as a correction.
  const articleUrl = page.url();
  await Promise.all([page.waitForURL(/gui-ban-bien-tap/), page.locator("a", { hasText: "Góp ý, đính chính bài này" }).click()]);
  assert.equal(await page.locator("#editor-unit").inputValue(), "11");
  assert.equal(await page.locator("#editor-kind-correction").isChecked(), true);
  assert.ok((await page.locator("#editor-subject").inputValue()).includes(title.trim()));
  await page.goto(articleUrl);
  // Related news leads to another article.
  const first = related.first().locator("a");
  const next = await first.textContent();
  await Promise.all([page.waitForURL(/\/tin-tuc\//), first.click()]);
  assert.equal((await page.locator("#article-title").textContent()).trim(), next.trim());

  // A province's page.
  await page.goto(base + "/tin-tuc/tinh/11");
  assert.ok((await page.locator(".news-item").count()) > 0);
  await noViolations(page, "province");
  await page.close();
});

test("without JavaScript the list pages on", async () => {
  const { base, browser } = env;
  const context = await browser.newContext({ ...phone, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(base + "/tin-tuc");
  await Promise.all([page.waitForURL(/trang=2/), page.locator("#news-next a").click()]);
  assert.equal(await page.locator(".news-item").count(), 10);
  assert.ok(await page.locator("a[rel=prev]").count(), "a way back");
  await context.close();
});
