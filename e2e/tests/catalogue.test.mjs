// The national administrator designs a broken-down indicator in the
// browser (the combination count updates as they type and the cap is
// enforced), and the province's Front comments on a police report.
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

test("an administrator designs a breakdown and adds an indicator", async () => {
  const { base } = env;
  const admin = await login(env, "quantri");
  await admin.goto(base + "/quan-tri/danh-muc");
  assert.match(await admin.locator("#indicator-list").textContent(), /kt_bang_khen/);
  await admin.click("#new-indicator summary");
  await admin.fill("#breakdown", "Giới tính: Nam, Nữ\nĐộ tuổi: Dưới 30, Từ 30");
  await admin.locator("#combination-count:text('4')").waitFor({ timeout: 15_000 });
  await admin.fill("#breakdown", "A: 1, 2, 3, 4, 5\nB: 1, 2, 3, 4, 5");
  await admin.locator("#combination-count:text('25')").waitFor({ timeout: 15_000 });
  assert.match(await admin.locator("#breakdown-preview").textContent(), /vượt quá giới hạn 24/);
  await admin.fill("#breakdown", "Giới tính: Nam, Nữ\nĐộ tuổi: Dưới 30, Từ 30");
  await admin.locator("#combination-count:text('4')").waitFor({ timeout: 15_000 });
  await admin.fill("#new-indicator input[name=code]", "tg_tuan_tra");
  await admin.fill("#new-indicator input[name=name_vi]", "Người tham gia tuần tra");
  await admin.fill("#new-indicator input[name=unit]", "người");
  await admin.selectOption("#new-indicator select[name=group]", "mo_hinh");
  await admin.check("#new-indicator input[name=forms][value=antq-nam]");
  await admin.screenshot({ path: join(results, "catalogue-designer.png"), fullPage: true });
  await Promise.all([admin.waitForLoadState("load"), admin.click("#new-indicator button.primary")]);
  const row = await admin.locator("#ind-tg_tuan_tra").textContent();
  assert.match(row, /Người tham gia tuần tra/);
  assert.match(row, /Nữ, Từ 30/);
  assert.match(row, /antq-nam/);
});

test("the province's Front comments on a commune's police report", async () => {
  const { base } = env;
  const front = await login(env, "mt.dienbien");
  const report = base + "/so-lieu/antq-nam/03325/2025";
  await front.goto(report);
  await front.fill("#comment-form textarea", "Đề nghị bổ sung số liệu diễn đàn.");
  await Promise.all([front.waitForLoadState("load"), front.click("#comment-form button")]);
  assert.match(await front.locator("#y-kien").textContent(), /Đề nghị bổ sung số liệu diễn đàn\./);
  assert.match(await front.locator("#y-kien").textContent(), /mt\.dienbien/);
  const police = await login(env, "ca.muongphang");
  await police.goto(report);
  assert.match(await police.locator("#y-kien").textContent(), /Đề nghị bổ sung/);
});
