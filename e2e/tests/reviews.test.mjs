// The Front of Đồng Tháp builds the 10-year review of old Đồng Tháp (87,
// 2013–2023) in the browser: the narrative carries the province's reported
// figures, the charts are drawn, and the print view is the document alone.
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

test("the 10-year review of old Đồng Tháp, on screen and in print", async () => {
  const { base } = env;
  const front = await login(env, "mt.dongthap");
  await front.goto(base + "/bao-cao");
  await front.fill("#new-review input[name=unit]", "87");
  await front.fill("#new-review input[name=from]", "2013");
  await front.fill("#new-review input[name=to]", "2023");
  await front.selectOption("#new-review select[name=owner]", "joint");
  // The programme is found by itself (the first choice); programme 09 is offered by name.
  assert.match(await front.locator("#new-review select[name=programme]").textContent(), /Chương trình phối hợp số 09\/CTr-BCA-MTTW/);
  await front.fill("#new-review input[name=issue_date]", "18/05/2023");
  await Promise.all([front.waitForURL(/\/bao-cao\/\d+$/), front.click("#new-review button.primary")]);
  const doc = await front.locator(".review-doc").textContent();
  assert.match(doc, /Đồng Tháp, ngày 18 tháng 5 năm 2023/);
  // The title names programme 09 as first cited: number and symbol, date, issuers, subject.
  assert.match(doc, /Tổng kết 10 năm thực hiện Chương trình phối hợp số 09\/CTr-BCA-MTTW ngày 01\/8\/2013 của Bộ Công an/);
  assert.match(doc, /giai đoạn 2013 – 2023/);
  // Every figure says where it came from, on hover and for screen readers.
  const cell = front.locator(".review-doc td.num[title]").first();
  assert.equal(await cell.getAttribute("title"), "Nguồn: báo cáo định kỳ");
  assert.match(await cell.textContent(), /\(Nguồn: báo cáo định kỳ\)/);
  assert.match(doc, /được 32\.146 buổi, với hơn 3 triệu lượt người tham dự/);
  assert.match(doc, /27\.135 người lầm lỗi, trong đó 9\.779 người tiến bộ/);
  assert.match(doc, /44\.215 nguồn tin có giá trị/);
  assert.ok((await front.locator(".review-doc figure.chart svg").count()) >= 4, "charts drawn");
  assert.match(await front.locator("#press").textContent(), /Đồng Tháp: Tổng kết 10 năm/);
  await front.screenshot({ path: join(results, "review-screen.png"), fullPage: false });
  await front.emulateMedia({ media: "print" });
  assert.equal(await front.locator("header.topbar").isVisible(), false, "no navigation in print");
  assert.equal(await front.locator("#review-actions").isVisible(), false);
  assert.equal(await front.locator(".review-doc").isVisible(), true);
  await front.emulateMedia({ media: "screen" });

  // The "In" button prints (through app.js: the CSP blocks inline handlers).
  await front.evaluate(() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; });
  await front.click("button[data-print]");
  assert.equal(await front.evaluate(() => window.__printed), 1, "the print button calls window.print");

  // The editor rewrites the propaganda paragraph; the page keeps it.
  await front.click("#edit-narrative summary");
  await front.fill("#edit-narrative textarea[name=tuyen_truyen]", "Công tác tuyên truyền được đổi mới, đạt hơn 32.000 buổi.");
  await Promise.all([front.waitForLoadState("load"), front.click("#edit-narrative button.primary")]);
  assert.match(await front.locator(".review-doc").textContent(), /được đổi mới, đạt hơn 32\.000 buổi/);
  const first = front.url();
  await front.goto(first + "/doi-chieu");
  assert.match(await front.locator("#no-changes").textContent(), /không thay đổi/);
  // Building it again makes a new review of the same unit and stage; the first stays.
  await Promise.all([front.waitForURL(/\/bao-cao\/\d+$/), front.click("#rebuild button")]);
  assert.notEqual(front.url(), first);
  assert.match(await front.locator(".review-doc").textContent(), /được 32\.146 buổi/);
});
