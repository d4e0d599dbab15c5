// The officers of Đồng Tháp finish the joint 10-year review of old Đồng
// Tháp as the report they sign: they write their own sections (a list, bold
// words, a small table), move one, pick the signers from the register, and
// each side approves; an empty first half of 2026 stays a stamped draft.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { start, login, results, axe } from "./lib/app.mjs";

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.stop();
});

async function clean(page, what) {
  const found = await axe(page);
  assert.deepEqual(found.map((v) => `${v.id}: ${v.targets.slice(0, 5).join(", ")}`), [], `axe on ${what}`);
}

test("a joint review written, signed by both sides", async () => {
  const { base } = env;
  const front = await login(env, "mt.dongthap");
  await front.goto(base + "/bao-cao");
  const row = front.locator("#review-list tbody tr", { hasText: "2013 – 2023" }).filter({ hasText: "Đồng Tháp" }).first();
  await Promise.all([front.waitForURL(/\/bao-cao\/\d+$/), row.locator("a").first().click()]);
  const url = front.url();

  // Co-issuers as equals: two issuers, each bold with its own rule, no parent line.
  assert.equal(await front.locator(".review-head .issuer").count(), 2);
  assert.match(await front.locator(".review-head .issuer").nth(0).textContent(), /CÔNG AN TỈNH ĐỒNG THÁP/);
  assert.match(await front.locator(".review-head .issuer").nth(1).textContent(), /BAN THƯỜNG TRỰC ỦY BAN MTTQ VIỆT NAM/);
  // The whole report: its sections in the template's order, the closing sentence, real recipients.
  const headings = await front.locator(".review-doc .review-section > h2").allTextContents();
  assert.match(headings[0], /^I\. ĐẶC ĐIỂM TÌNH HÌNH/);
  assert.ok(headings.some((h) => /^III\. KẾT QUẢ ĐẠT ĐƯỢC/.test(h)), headings.join(" | "));
  assert.ok(headings.some((h) => /BÀI HỌC KINH NGHIỆM/.test(h)));
  assert.match(await front.locator(".review-doc .closing").textContent(), /^Trên đây là Báo cáo tổng kết 10 năm .* của Công an tỉnh và Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh Đồng Tháp\.\/\.$/);
  const recipients = await front.locator(".review-doc .recipients").textContent();
  assert.match(recipients, /Cục Xây dựng phong trào bảo vệ ANTQ – Bộ Công an/);
  assert.doesNotMatch(recipients, /cấp trên|cùng cấp/);
  assert.match(await front.locator("#review-warnings").textContent(), /Còn \d+ mục chưa viết/);

  // The officer writes the situation: paragraphs, a list, bold words, a table.
  await front.click("#soan summary");
  await front.fill("#soan textarea[name='s0.text']", "Tỉnh có **129** xã, phường, thị trấn.\n\n- Địa bàn rộng\n- Giáp biên giới\n\n| Năm | Số vụ |\n|---|---|\n| 2023 | 12 |");
  await front.fill("#soan textarea[name=recipients]", "Thường trực Tỉnh ủy;\nUBND tỉnh;\nLưu: VT.");
  await Promise.all([front.waitForLoadState("load"), front.click("#soan button[value=save]")]);
  const situation = front.locator(".review-doc .review-section").first();
  assert.equal(await situation.locator("strong", { hasText: "129" }).count(), 1);
  assert.equal(await situation.locator("ul.typed-list li").count(), 2);
  assert.equal(await situation.locator("table.typed-table td").count(), 2);
  assert.match(await front.locator(".review-doc .recipients").textContent(), /Thường trực Tỉnh ủy;[\s\S]*Lưu: VT\./);

  // Moving a section down keeps everything typed (no JavaScript needed: the button posts the form).
  await front.click("#soan summary");
  await Promise.all([front.waitForLoadState("load"), front.click("#soan button[value='down:0']")]);
  const moved = await front.locator(".review-doc .review-section > h2").allTextContents();
  assert.match(moved[0], /^I\. CÔNG TÁC LÃNH ĐẠO/);
  assert.match(moved[1], /^II\. ĐẶC ĐIỂM TÌNH HÌNH/);
  assert.equal(await front.locator(".review-doc .review-section").nth(1).locator("ul.typed-list li").count(), 2);

  // A heading left empty is refused with the reason, and what was typed stays on the page.
  await front.click("#soan summary");
  await front.fill("#soan input[name='s1.heading']", "");
  await front.fill("#soan textarea[name='s1.text']", "Một đoạn đang viết dở.");
  await front.evaluate(() => document.querySelector("#soan form").setAttribute("novalidate", ""));
  await Promise.all([front.waitForLoadState("load"), front.click("#soan button[value=save]")]);
  assert.match(await front.locator("#compose-error").textContent(), /chưa có tiêu đề/);
  assert.equal(await front.locator("#soan textarea[name='s1.text']").inputValue(), "Một đoạn đang viết dở.");
  await clean(front, "the review with its editor open and an error");

  // The Front approves its side; the police must approve too.
  await front.goto(url);
  await Promise.all([front.waitForLoadState("load"), front.click("#review-state button", { hasText: "Mặt trận Tổ quốc" })]);
  assert.match(await front.locator("#review-state h2").textContent(), /Mặt trận Tổ quốc đã duyệt, còn chờ bên còn lại/);
  assert.equal(await front.locator("#review-state button").count(), 0, "a Front officer cannot approve for the police");
  const police = await login(env, "ca.dongthap");
  await police.goto(url);
  await Promise.all([police.waitForLoadState("load"), police.click("#review-state button")]);
  assert.match(await police.locator("#review-state h2").textContent(), /Đã hoàn thành: Công an và Mặt trận Tổ quốc đều đã duyệt/);
  // The signature blocks come from the register.
  const sign = await police.locator(".review-doc .review-sign").textContent();
  assert.match(sign, /KT\. GIÁM ĐỐC[\s\S]*PHÓ GIÁM ĐỐC/);
  assert.match(sign, /TM\. BAN THƯỜNG TRỰC[\s\S]*CHỦ TỊCH/);
  await police.screenshot({ path: join(results, "review-signed.png"), fullPage: false });
});

test("an empty half-year is a stamped draft that cannot be approved", async () => {
  const { base } = env;
  const police = await login(env, "ca.dongthap");
  await police.goto(base + "/bao-cao");
  await police.fill("#new-review input[name=unit]", "82");
  await police.fill("#new-review input[name=from]", "2026");
  await police.selectOption("#new-review select[name=half]", "1");
  await police.selectOption("#new-review select[name=owner]", "police");
  await Promise.all([police.waitForURL(/\/bao-cao\/\d+$/), police.click("#new-review button.primary")]);
  assert.match(await police.locator("#draft-stamp").textContent(), /DỰ THẢO – chưa đủ số liệu/);
  assert.match(await police.locator("#review-warnings").textContent(), /còn là dự thảo/);
  assert.match(await police.locator("#no-results").textContent(), /Chưa có số liệu được duyệt/);
  // A draft offers no approval at all.
  assert.equal(await police.locator("#review-state button").count(), 0);
  assert.match(await police.locator("#review-state h2").textContent(), /chưa bên nào duyệt/);
});

test("the signers register and the templates", async () => {
  const { base } = env;
  const admin = await login(env, "quantri");
  await admin.goto(base + "/bao-cao/mau?kind=year");
  assert.match(await admin.locator("#template-source").textContent(), /Mẫu/);
  await clean(admin, "/bao-cao/mau");
  await admin.goto(base + "/bao-cao/nguoi-ky?unit=87");
  assert.ok((await admin.locator("#signer-list tbody tr").count()) >= 2, "the demo's signers of old Đồng Tháp");
  await clean(admin, "/bao-cao/nguoi-ky");
});
