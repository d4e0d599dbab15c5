// "Gửi ban biên tập" and "Số liệu phong trào": a reader writes to the
// editors of Điện Biên with JavaScript (the browser computes the proof of
// work) and without it (the form asks to wait, keeps what was typed, then
// takes the message); the demo editor of Điện Biên finds both in the inbox.
// The open-data page of Điện Biên shows approved figures with their source,
// and axe finds nothing critical or serious on the public pages at 390 px.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { start, login, axe, results } from "./lib/app.mjs";

const phone = { viewport: { width: 390, height: 844 } };
let env;
const dataDir = mkdtempSync(join(tmpdir(), "antq-e2e-editors-"));
before(async () => {
  process.env.ANTQ__DATA_DIR = dataDir;
  process.env.ANTQ__TIPS_DIFFICULTY = "10";
  env = await start();
});
after(async () => {
  await env?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function noViolations(page, what) {
  const found = await axe(page);
  assert.deepEqual(found, [], `${what}: ${JSON.stringify(found, null, 1)}`);
}

test("a reader writes to the editors, with JavaScript", async () => {
  const { base, browser } = env;
  const ctx = await browser.newContext(phone);
  const page = await ctx.newPage();
  const res = await page.goto(base + "/gui-ban-bien-tap");
  assert.equal(res.headers()["cache-control"], "no-store");
  assert.equal(await page.locator("#editor-wait").isHidden(), true);
  await noViolations(page, "editors' form");
  // Only the nation's and the provinces' editors are offered, never a commune.
  const offered = await page.locator("#editor-unit option").allTextContents();
  assert.equal(offered[0], "Cả nước");
  assert.ok(offered.includes("Tỉnh Điện Biên"), offered.join(", "));
  assert.ok(!offered.some((o) => /^(Xã|Phường)/.test(o)), offered.join(", "));
  await page.selectOption("#editor-unit", "11");
  await page.check("#editor-kind-story");
  await page.fill("#editor-subject", "Ngày hội toàn dân bảo vệ an ninh Tổ quốc ở bản Phăng");
  await page.fill("#editor-body", "Sáng Chủ nhật, bà con bản Phăng tổ chức ngày hội với nhiều hoạt động.");
  await page.fill("#editor-contact", "0912 000 222");
  await Promise.all([page.waitForURL(base + "/gui-ban-bien-tap/da-gui", { timeout: 60_000 }), page.click("#editor-send")]);
  assert.match(await page.locator("#editor-thanks").textContent(), /đã nhận thư/);
  await noViolations(page, "thank-you page");
  await page.screenshot({ path: join(results, "editors-thanks.png"), fullPage: true });
  await ctx.close();
});

test("without JavaScript the form asks to wait, keeps what was typed, then sends", async () => {
  const { base, browser } = env;
  const ctx = await browser.newContext({ ...phone, javaScriptEnabled: false });
  const page = await ctx.newPage();
  await page.goto(base + "/gui-ban-bien-tap");
  assert.match(await page.locator("#editor-wait").textContent(), /xin chờ khoảng \d+ giây/);
  await page.selectOption("#editor-unit", "11");
  await page.check("#editor-kind-correction");
  const subject = "Đính chính tên bản trong bài về ngày hội";
  await page.fill("#editor-subject", subject);
  await page.fill("#editor-body", "Bài viết ghi nhầm số tổ chức quần chúng tự quản của tỉnh.");
  await Promise.all([page.waitForLoadState("load"), page.click("#editor-send")]);
  const error = page.locator("#editor-error");
  if (await error.count()) {
    const m = (await error.textContent()).match(/Xin chờ thêm (\d+) giây/);
    assert.ok(m, "asked to wait");
    assert.equal(await page.locator("#editor-subject").inputValue(), subject);
    await page.waitForTimeout(Number(m[1]) * 1000 + 1000);
    await Promise.all([page.waitForLoadState("load"), page.click("#editor-send")]);
  }
  assert.equal(page.url(), base + "/gui-ban-bien-tap/da-gui");
  await ctx.close();

  // The demo editor of Điện Biên finds both messages.
  const editor = await login(env, "bientap.dienbien", phone);
  await editor.goto(base + "/bien-tap/thu");
  const table = await editor.locator("#inbox-table").textContent();
  assert.match(table, /Đính chính tên bản trong bài về ngày hội/);
  assert.match(table, /bản Phăng/);
  await noViolations(editor, "inbox");
  await Promise.all([editor.waitForURL(/\/bien-tap\/thu\/\d+$/), editor.locator("#inbox-table a", { hasText: subject }).click()]);
  assert.match(await editor.locator("#message-state").textContent(), /Đã xem/);
  await noViolations(editor, "a message");
  await editor.close();
});

test("the open-data page of Điện Biên shows approved figures", async () => {
  const { base, browser } = env;
  const ctx = await browser.newContext(phone);
  const page = await ctx.newPage();
  await page.goto(base + "/so-lieu-phong-trao/11");
  assert.match(await page.locator("#figures-source").textContent(), /Số liệu đã duyệt của Tỉnh Điện Biên, cập nhật ngày \d\d\/\d\d\/\d{4}/);
  assert.ok((await page.locator(".figure-card").count()) >= 3, "the demo's public indicators");
  assert.match(await page.locator("main").textContent(), /\d\.\d{3}/, "numbers written 4.378");
  assert.ok(await page.locator("#figures-children-table tbody tr").count() > 0, "by commune");
  await noViolations(page, "open-data page");
  await page.screenshot({ path: join(results, "open-data-dien-bien.png"), fullPage: true });
  const csv = await page.request.get(base + "/so-lieu-phong-trao/11?tai-ve=csv");
  assert.equal(csv.status(), 200);
  assert.match(await csv.text(), /Số liệu đã duyệt của Tỉnh Điện Biên/);
  await page.goto(base + "/so-lieu-phong-trao");
  await noViolations(page, "national open-data page");
  await ctx.close();
});
