// Units picked by name: the analytics picker typed "dien bien" without
// accents, "Tỉnh Điện Biên" picked with the keyboard; a province officer's
// pivot and review of their own unit without typing anything; the unit
// search keeps the URL in step (the back button works).
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

test("type 'dien bien' in the analytics picker, pick the province by keyboard, run the pivot", async () => {
  const { base } = env;
  const admin = await login(env, "quantri");
  await admin.goto(base + "/phan-tich");
  const input = admin.locator("#unit");
  assert.equal(await input.getAttribute("role"), "combobox");
  assert.equal(await input.getAttribute("aria-expanded"), "false");
  await input.fill("");
  await input.pressSequentially("dien bien", { delay: 20 });
  const list = admin.locator("#unit-list");
  await list.locator('[role="option"]').first().waitFor();
  assert.equal(await input.getAttribute("aria-expanded"), "true");
  // Options show where each unit lies.
  const texts = await list.locator('[role="option"]').allTextContents();
  assert.ok(texts.some((t) => t.includes("Tỉnh Điện Biên")), texts.join(" | "));
  assert.ok(texts.some((t) => /Phường Điện Biên Phủ.*Tỉnh Điện Biên/.test(t)), texts.join(" | "));
  await admin.screenshot({ path: join(results, "picker-options.png") });
  // Down to "Tỉnh Điện Biên", then Enter.
  const names = await list.locator('[role="option"]').evaluateAll((els) => els.map((e) => e.dataset.name));
  const target = names.indexOf("Tỉnh Điện Biên");
  assert.ok(target >= 0, names.join(", "));
  for (let i = 0; i <= target; i++) await input.press("ArrowDown");
  const activeId = await input.getAttribute("aria-activedescendant");
  assert.equal(await admin.locator("#" + activeId).getAttribute("data-name"), "Tỉnh Điện Biên");
  await input.press("Enter");
  assert.equal(await input.inputValue(), "Tỉnh Điện Biên");
  assert.equal(await admin.locator("input[name=unit_pick]").inputValue(), "11");
  assert.equal(await input.getAttribute("aria-expanded"), "false");
  await admin.fill("input[name=from]", "2013");
  await admin.fill("input[name=to]", "2023");
  await Promise.all([admin.waitForURL(/\/phan-tich\?/), admin.click("form button.primary")]);
  assert.match(await admin.locator("#pivot-heading").textContent(), /^Tỉnh Điện Biên · Giai đoạn 2013 – 2023/);
  assert.match(await admin.locator("#pivot-total").textContent(), /Tổng cộng/);
  assert.ok((await admin.locator("#pivot-charts svg").count()) >= 2, "a chart per indicator");
  await admin.close();
});

test("a province officer's pivot and review of their own unit need no typing", async () => {
  const { base } = env;
  const officer = await login(env, "mt.dienbien");
  await officer.goto(base + "/phan-tich");
  assert.equal(await officer.locator("#unit").inputValue(), "Tỉnh Điện Biên");
  await Promise.all([officer.waitForURL(/\/phan-tich\?/), officer.click("form button.primary")]);
  assert.match(await officer.locator("#pivot-heading").textContent(), /^Tỉnh Điện Biên · Giai đoạn/);
  assert.ok((await officer.locator("#pivot tbody tr").count()) >= 1);
  await officer.screenshot({ path: join(results, "picker-pivot.png"), fullPage: true });
  await officer.goto(base + "/bao-cao");
  assert.equal(await officer.locator("#review-unit").inputValue(), "Tỉnh Điện Biên");
  await Promise.all([officer.waitForURL(/\/bao-cao\/\d+$/), officer.click("#new-review button.primary")]);
  assert.match(await officer.locator(".review-doc").textContent(), /Điện Biên/);
  await officer.close();
});

test("the live unit search keeps the URL in step and the back button works", async () => {
  const { base } = env;
  const page = await env.browser.newPage();
  await page.goto(base + "/don-vi");
  await page.locator("#unit-search").pressSequentially("chau thanh", { delay: 20 });
  await page.waitForURL(/\/don-vi\?.*q=chau(\+|%20)thanh/);
  await page.locator("#unit-list td.unit-parent", { hasText: "Tỉnh Tây Ninh" }).first().waitFor();
  await page.locator("#unit-list a", { hasText: "Xã Châu Thành" }).first().click();
  await page.waitForURL(/\/don-vi\/\d+/);
  // The unit page's date picker.
  assert.equal(await page.locator("#unit-date input[type=date]").count(), 1);
  await page.goBack();
  await page.waitForURL(/\/don-vi\?.*q=chau/);
  await page.locator("#unit-list td.unit-parent", { hasText: "Tỉnh Tây Ninh" }).first().waitFor();
  assert.equal(await page.locator("#unit-search").inputValue(), "chau thanh");
  await page.close();
});
