// Enter → submit → return → fix → approve → locked, in the browser, with
// drafts saved and rules checked while typing; then the province's
// completeness page and the pivot page.
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

const report = "/so-lieu/antq-6t/03325/2026S2";

test("a half-year report goes up, comes back, and is approved", async () => {
  const { base } = env;
  const commune = await login(env, "ca.muongphang");
  await commune.goto(base + report);
  assert.match(await commune.locator("#report-state").textContent(), /Chưa nhập/);
  // Typing saves the draft and checks the rules at once.
  await commune.fill("#v-tt_buoi", "12");
  await commune.fill("#v-tt_luot", "4.378");
  await commune.fill("#v-gd_doi_tuong", "10");
  await commune.fill("#v-gd_tien_bo", "15");
  await commune.press("#v-gd_tien_bo", "Tab");
  await commune.locator("#validation li.error").waitFor({ timeout: 15_000 });
  assert.match(await commune.locator("#validation").textContent(), /tiến bộ/);
  await commune.fill("#v-gd_tien_bo", "7");
  await commune.press("#v-gd_tien_bo", "Tab");
  await commune.locator("#validation .ok-text").waitFor({ timeout: 15_000 });
  await commune.reload();
  assert.equal(await commune.inputValue("#v-tt_luot"), "4.378", "the draft was saved, in the Vietnamese format");
  await Promise.all([commune.waitForLoadState("load"), commune.click("#submit-report")]);
  assert.match(await commune.locator("#report-state").textContent(), /Đã gửi/);
  assert.equal(await commune.locator("#v-tt_buoi").count(), 0, "no inputs while waiting");

  const province = await login(env, "ca.dienbien");
  await province.goto(base + report);
  await province.fill("input[name=comment][required]", "Bổ sung số diễn đàn");
  await Promise.all([province.waitForLoadState("load"), province.click("button.danger:has-text('Trả lại')")]);
  assert.match(await province.locator("#report-state").textContent(), /Bị trả lại/);

  await commune.goto(base + report);
  assert.match(await commune.locator("#return-reason").textContent(), /Bổ sung số diễn đàn/);
  assert.match(await commune.locator("#report-history").textContent(), /Trả lại để sửa[\s\S]*Bổ sung số diễn đàn/);
  await commune.fill("#v-dd_so", "2");
  await commune.fill("#v-dd_luot", "150");
  await commune.press("#v-dd_luot", "Tab");
  await commune.locator("#validation .ok-text").waitFor({ timeout: 15_000 });
  await Promise.all([commune.waitForLoadState("load"), commune.click("#submit-report")]);

  await province.goto(base + report);
  assert.equal(await province.locator("#v-tt_buoi").count(), 0, "the province reads, it does not type");
  await Promise.all([province.waitForLoadState("load"), province.click("#approve-report")]);
  assert.match(await province.locator("#report-state").textContent(), /Đã duyệt/);
  assert.match(await province.locator(".flash.ok").textContent(), /Đã duyệt báo cáo của xã Mường Phăng/);
  await province.screenshot({ path: join(results, "report-approved.png"), fullPage: true });

  await commune.goto(base + report);
  assert.match(await commune.locator("#report-state").textContent(), /Đã duyệt/);
  assert.equal(await commune.locator("#v-tt_buoi").count(), 0, "approved data is locked");
  assert.equal(await commune.locator("#submit-report").count(), 0);

  // The province officer's morning page.
  await province.goto(`${base}/tien-do/antq-6t/11/2026S2`);
  const summary = await province.locator("#progress-summary").textContent();
  assert.match(summary, /Đã duyệt/);
  assert.match(await province.locator("#progress-list").textContent(), /Xã Mường Phăng/);
  await province.screenshot({ path: join(results, "progress.png"), fullPage: true });

  // The pivot page: the demo's 10-year figures for Điện Biên, with a chart.
  await province.goto(`${base}/phan-tich?i=mh_moi&i=mh_nhan_rong&i=tcqc_so&unit=11&from=2013&to=2023&by=year&map=historical&at=2023-06-30`);
  const table = await province.locator("#pivot").textContent();
  assert.match(table, /2013/);
  assert.match(table, /2023/);
  assert.equal(await province.locator(".chart svg rect").count() > 5, true);
  await province.screenshot({ path: join(results, "pivot.png"), fullPage: true });
  await commune.close();
  await province.close();
});
