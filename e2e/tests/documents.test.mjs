// The document library in the browser: a reader finds programme 09 by one of
// the press's spellings and by words typed without accents (live, through
// htmx), opens the programme, and the pages are axe-clean on a desktop and
// at 390 px.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { start, login, axe } from "./lib/app.mjs";

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.stop();
});

const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

async function clean(page, name) {
  const found = await axe(page);
  assert.deepEqual(found.map((v) => `${v.id}: ${v.targets.slice(0, 5).join(", ")}`), [], `${name}: axe`);
}

test("programme 09 is found by an alias and by words without accents, and opened", async () => {
  const { base } = env;
  const page = await login(env, "xem.dongthap", { viewport: { width: 1280, height: 800 } });
  await page.goto(base + "/van-ban");
  await clean(page, "/van-ban");
  // Live results while typing (htmx), the alias first.
  await page.fill("#doc-q", "09/Ctr-BCA-TTTW");
  await page.waitForURL(/q=09/);
  await page.locator("#doc-list li").first().waitFor();
  assert.match(await page.locator("#doc-list li").first().textContent(), /09\/CTr-BCA-MTTW/);
  assert.match(await page.locator("#doc-list li").first().textContent(), /01\/08\/2013/);
  // Words without accents find both programmes.
  await page.fill("#doc-q", "chuong trinh phoi hop");
  await page.waitForFunction(() => /chuong\+trinh|chuong%20trinh/.test(location.search));
  await page.waitForFunction(() => document.querySelectorAll("#doc-list li").length === 2);
  assert.match(await page.locator("#doc-list").textContent(), /Chương trình phối hợp/);
  // Open the document, then the programme that uses it.
  await page.fill("#doc-q", "09/Ctr-BCA-TTTW");
  await page.waitForFunction(() => /09%2FCtr|09\/Ctr/.test(location.search));
  await page.locator("#doc-list li").first().waitFor();
  await Promise.all([page.waitForURL(/\/van-ban\/\d+$/), page.locator("#doc-list li a").first().click()]);
  assert.match(await page.locator("#doc-aliases").textContent(), /09\/Ctr-BCA-TTTW/);
  await Promise.all([page.waitForURL(/\/chuong-trinh\/\d+$/), page.locator("#doc-programmes a").first().click()]);
  assert.match(await page.locator("h1").textContent(), /09\/CTr-BCA-MTTW/);
  assert.match(await page.locator(".doc-facts").textContent(), /2013 – 2023/);
  assert.match(await page.locator("#programme-state").textContent(), /Đã được thay thế/);
  assert.match(await page.locator("#programme-parties").textContent(), /Ban Thường trực Ủy ban Trung ương MTTQ Việt Nam/);
  await clean(page, "/chuong-trinh/{id}");
  const programme = page.url();

  // Without JavaScript the search is a plain form.
  const bare = await env.browser.newContext({ javaScriptEnabled: false });
  const p2 = await bare.newPage();
  await p2.goto(base + "/dang-nhap");
  await p2.fill("#username", "xem.dongthap");
  await p2.fill("#password", (await import("./lib/app.mjs")).password);
  await Promise.all([p2.waitForURL(base + "/"), p2.click("button[type=submit].primary")]);
  await p2.goto(base + "/van-ban");
  await p2.fill("#doc-q", "chuong trinh phoi hop");
  await Promise.all([p2.waitForURL(/q=chuong/), p2.click("form.doc-search button[type=submit]")]);
  assert.equal(await p2.locator("#doc-list li").count(), 2);
  await bare.close();

  // On a phone: nothing sticks out, axe-clean.
  const small = await login(env, "xem.dongthap", phone);
  for (const path of ["/van-ban?q=chuong+trinh+phoi+hop", programme.replace(base, "")]) {
    await small.goto(base + path);
    const width = await small.evaluate(() => document.scrollingElement.scrollWidth);
    assert.ok(width <= 390, `${path}: ${width}px wide at 390px`);
    await clean(small, `${path} at 390px`);
  }
});

test("the police record a plan's document and the plan, the errors at their fields", async () => {
  const { base } = env;
  const page = await login(env, "ca.dongthap", { viewport: { width: 1280, height: 800 } });
  await page.goto(base + "/van-ban/moi");
  await clean(page, "/van-ban/moi");
  await page.fill("#doc-reference", "12/21/KH-CAT");
  await page.fill("#doc-subject", "Phát huy vai trò Tổ Nhân dân tự quản");
  await Promise.all([page.waitForLoadState("load"), page.click("form.doc-form button.primary")]);
  assert.match(await page.locator("#doc-reference-error").textContent(), /năm phải có bốn chữ số/);
  assert.equal(await page.locator("#doc-reference").getAttribute("aria-invalid"), "true");
  await clean(page, "/van-ban (refused)");
  await page.fill("#doc-reference", "12/KH-CAT-MTTQ");
  await page.fill("#doc-date", "18/05/2023");
  await page.fill("#doc-issuers", "Công an tỉnh Đồng Tháp\nỦy ban MTTQ Việt Nam tỉnh Đồng Tháp");
  await page.fill("#doc-unit", "Đồng Tháp");
  await Promise.all([page.waitForURL(/\/van-ban\/\d+$/), page.click("form.doc-form button.primary")]);
  assert.match(await page.locator("h1").textContent(), /Kế hoạch số 12\/KH-CAT-MTTQ ngày 18\/05\/2023/);

  await page.goto(base + "/chuong-trinh/moi");
  await clean(page, "/chuong-trinh/moi");
  await page.fill("#prog-title", "Kế hoạch phối hợp về Tổ Nhân dân tự quản");
  await page.fill("#prog-reference", "12/KH-CAT-MTTQ");
  await page.fill("#prog-unit", "Đồng Tháp");
  await page.fill("input[name=stage_from]", "2023");
  await page.fill("input[name=stage_to]", "2028");
  await page.fill("#prog-party-0", "Đồng Tháp");
  await page.selectOption("select[name=party_body_0]", "cong_an");
  await page.fill("#prog-party-1", "Đồng Tháp");
  await page.selectOption("select[name=party_body_1]", "mttq");
  await page.fill("textarea[name=item_0]", "Hướng dẫn các Tổ Nhân dân tự quản");
  await page.selectOption("select[name=item_party_0]", "2");
  await Promise.all([page.waitForURL(/\/chuong-trinh\/\d+$/), page.click("form.doc-form button.primary")]);
  assert.match(await page.locator("#programme-parties").textContent(), /Công an tỉnh Đồng Tháp/);
  assert.match(await page.locator("#programme-items").textContent(), /Ủy ban MTTQ Việt Nam tỉnh Đồng Tháp/);
  await clean(page, "/chuong-trinh/{id} (a plan)");
  await page.goto(base + "/chuong-trinh");
  await clean(page, "/chuong-trinh");
  assert.match(await page.locator("#programme-list").textContent(), /Toàn quốc[\s\S]*Đồng Tháp/);
});
