// "Tìm kiếm văn bản" on the public portal, as a reader without an account
// on a phone: the demo's programme 09 found by its words without accents
// and with them, and by the press's spelling of its reference; the hits
// highlighted; the document's page with its reference, aliases, relations
// and file. axe finds nothing critical or serious on the search page and
// the document page at 390 px; the form works without JavaScript.
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

async function search(page, words) {
  await page.fill("#ps-q", words);
  await Promise.all([page.waitForURL(/\/tim-kiem-van-ban\?/), page.click("form.portal-search button[type=submit]")]);
  return page.locator("#search-results .search-hit").first();
}

test("a reader searches with and without accents and opens programme 09", async () => {
  const ctx = await env.browser.newContext(phone);
  const page = await ctx.newPage();
  await page.goto(env.base + "/tim-kiem-van-ban");
  assert.equal(await page.locator("html").getAttribute("lang"), "vi");
  await noViolations(page, "empty search page");

  const noAccents = await search(page, "chuong trinh phoi hop 09");
  assert.match(await noAccents.textContent(), /09\/CTr-BCA-MTTW/);
  assert.ok((await noAccents.locator("mark").count()) > 0, "highlighted");
  await noViolations(page, "results without accents");

  const accents = await search(page, "Chương trình phối hợp 09");
  assert.match(await accents.textContent(), /09\/CTr-BCA-MTTW/);

  // The words in the full text, a phrase in quotes.
  const phrase = await search(page, '"ngày hội toàn dân"');
  assert.ok((await phrase.count()) > 0);

  const alias = await search(page, "09/Ctr-BCA-TTTW");
  assert.match(await alias.textContent(), /09\/CTr-BCA-MTTW/);

  await Promise.all([page.waitForURL(/\/van-ban-cong-khai\/\d+$/), alias.locator("h3 a").click()]);
  const main = await page.locator("main").textContent();
  assert.match(main, /Số: 09\/CTr-BCA-MTTW/);
  assert.match(main, /09\/Ctr-BCA-TTTW/);
  assert.match(main, /Được thay thế bởi/);
  assert.ok((await page.locator("#doc-files a").count()) > 0, "a file to download");
  await noViolations(page, "document page");
  await ctx.close();
});

test("the search works without JavaScript", async () => {
  const ctx = await env.browser.newContext({ ...phone, javaScriptEnabled: false });
  const page = await ctx.newPage();
  await page.goto(env.base + "/tim-kiem-van-ban?q=an+toan+ve+an+ninh&loai=thong_tu");
  const first = page.locator("#search-results .search-hit").first();
  assert.match(await first.textContent(), /124\/2021\/TT-BCA/);
  await ctx.close();
});
