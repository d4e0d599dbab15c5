// The awards reconciliation (issue 12 §4): from the analytics page of
// Điện Biên's awards, where every figure says its source, a link leads to
// the reconciliation of the award register with the reported figures, a
// table by year in Vietnamese with the difference in words; axe-clean on a
// desktop and at 390 px.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { start, login, results, axe } from "./lib/app.mjs";

const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.stop();
});

test("from the analytics page to the awards reconciliation of Điện Biên", async () => {
  const { base } = env;
  const page = await login(env, "ca.dienbien");
  await page.goto(`${base}/phan-tich?i=kt_bang_khen&i=kt_giay_khen&unit=11&unit_pick=11&from=2023&to=2023&approved_only=1`);
  const cell = page.locator("#pivot tbody td.num").first();
  assert.match(await cell.getAttribute("title"), /^Nguồn: /, "the source on hover");
  assert.match(await cell.locator(".visually-hidden").textContent(), /Nguồn: /, "and for screen readers");
  assert.deepEqual(await axe(page), [], "the analytics page is axe-clean");

  await Promise.all([page.waitForURL(/\/phan-tich\/doi-chieu-khen-thuong\?/), page.click("#pivot-reconcile a")]);
  assert.match(await page.locator("h1").textContent(), /Đối chiếu khen thưởng/);
  assert.match(await page.locator("#figures-heading").textContent(), /Tỉnh Điện Biên · Năm 2023/);
  const row = page.locator("#figures-by-year tbody tr", { hasText: "Bằng khen, tập thể" });
  assert.equal(await row.count(), 1);
  const cells = await row.locator("td").allTextContents();
  assert.equal(cells[0], "2023");
  // The demo keeps Điện Biên's 2023 awards in the register only (2 + 2 collectives
  // given Bằng khen at the 19/5/2023 conference); its forms carry none.
  assert.equal(cells[2], "4", "the register's count");
  assert.equal(cells[3], "–", "nothing reported in the forms");
  assert.equal(cells[4], "4", "the figure shown is the register's");
  assert.match(cells[5], /sổ theo dõi \(khen thưởng/, "the source in words");
  assert.match(cells[6], /Chỉ có/, "the comparison in words");
  assert.doesNotMatch(await page.locator("main").textContent(), /tap_the|ca_nhan|kt_bang_khen/, "no codes");
  assert.deepEqual(await axe(page), [], "the reconciliation page is axe-clean");

  // The form asks again, without JavaScript needed: another range.
  await page.fill("input[name=from]", "2022");
  await Promise.all([page.waitForURL(/from=2022/), page.click("form.card button.primary")]);
  assert.match(await page.locator("#figures-heading").textContent(), /Giai đoạn 2022 – 2023/);
  await page.screenshot({ path: join(results, "figures-reconciliation.png"), fullPage: true });
});

test("the reconciliation at 390 px", async () => {
  const { base } = env;
  const page = await login(env, "ca.dienbien", phone);
  await page.goto(`${base}/phan-tich/doi-chieu-khen-thuong?unit=11&from=2013&to=2023`);
  assert.match(await page.locator("#figures-heading").textContent(), /Tỉnh Điện Biên/);
  const width = await page.evaluate(() => document.scrollingElement.scrollWidth);
  assert.ok(width <= 390, `the page is ${width}px wide at 390px`);
  assert.deepEqual(await axe(page), [], "axe-clean at 390 px");
  await page.screenshot({ path: join(results, "figures-reconciliation-phone.png"), fullPage: true });
});
