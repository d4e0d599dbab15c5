// The main pages on a phone (390 × 844, as an iPhone 12–15): nothing scrolls
// sideways, the navigation is a menu that opens (without JavaScript) onto
// links large enough for a thumb, and a full-page screenshot of each page is
// kept in test-results/ for a person to look at.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { start, login, results, axe } from "./lib/app.mjs";

const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

let env;
const pages = {};
before(async () => {
  env = await start();
  pages.anonymous = await env.browser.newPage(phone);
  pages.commune = await login(env, "ca.muongphang", phone);
  pages.province = await login(env, "ca.dienbien", phone);
  pages.front = await login(env, "mt.dongthap", phone);
  pages.admin = await login(env, "quantri", phone);
});
after(async () => {
  await env?.stop();
});

/// Width and height of a PNG, from its IHDR chunk.
function pngSize(buffer) {
  assert.deepEqual([...buffer.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "a PNG");
  assert.equal(buffer.toString("latin1", 12, 16), "IHDR");
  return { width: buffer.readUInt32BE(16), height: buffer.readUInt32BE(20) };
}

/// The page at 390 px: no sideways scrolling, the menu opens onto its links, a screenshot.
async function fits(page, name, links) {
  const { width, overflowing } = await page.evaluate(() => {
    const w = document.documentElement.clientWidth;
    // The elements that stick out on the right, to say what widens the page.
    const out = [...document.querySelectorAll("body *")]
      .filter((e) => e.getBoundingClientRect().right > w + 1 && !e.closest(".scroll"))
      .slice(0, 8)
      .map((e) => `${e.tagName.toLowerCase()}${e.id ? "#" + e.id : ""}${e.className && typeof e.className === "string" ? "." + e.className.trim().replace(/\s+/g, ".") : ""}`);
    return { width: document.scrollingElement.scrollWidth, overflowing: out };
  });
  assert.ok(width <= 390, `${name}: the page is ${width}px wide at 390px; sticking out: ${overflowing.join(", ")}`);

  const menu = page.locator("header details.menu");
  const summary = menu.locator("summary");
  assert.ok(await summary.isVisible(), `${name}: a menu button`);
  const box = await summary.boundingBox();
  assert.ok(box.height >= 44 && box.width >= 44, `${name}: the menu button is ${box.width}×${box.height}`);
  const nav = menu.locator("nav");
  assert.equal(await nav.isVisible(), false, `${name}: the links are folded away`);
  await summary.tap();
  assert.equal(await menu.getAttribute("open"), "", `${name}: the menu opened`);
  for (const text of links) {
    const link = nav.getByText(text).first();
    assert.ok(await link.isVisible(), `${name}: "${text}" in the open menu`);
  }
  for (const target of await nav.locator("a, button").all()) {
    const b = await target.boundingBox();
    assert.ok(b.height >= 44, `${name}: "${await target.textContent()}" is ${b.height}px high`);
    assert.ok(b.x >= 0 && b.x + b.width <= 390, `${name}: "${await target.textContent()}" within the screen`);
  }
  assert.ok((await page.evaluate(() => document.scrollingElement.scrollWidth)) <= 390, `${name}: the open menu fits`);
  await page.screenshot({ path: join(results, `phone-${name}-menu.png`) });
  await summary.tap();
  assert.equal(await nav.isVisible(), false, `${name}: the menu closed again`);
  // Escape closes it too, and the focus goes back to its button.
  await summary.tap();
  assert.equal(await nav.isVisible(), true, `${name}: the menu opened again`);
  await page.keyboard.press("Escape");
  assert.equal(await nav.isVisible(), false, `${name}: Escape closed the menu`);
  assert.equal(await page.evaluate(() => document.activeElement?.tagName), "SUMMARY", `${name}: the focus is on the menu button`);

  const shot = await page.screenshot({ path: join(results, `phone-${name}.png`), fullPage: true });
  const size = pngSize(shot);
  assert.equal(size.width, 390 * 2, `${name}: the screenshot is the phone's width at 2× (${size.width})`);
  const height = await page.evaluate(() => document.scrollingElement.scrollHeight);
  assert.equal(size.height, height * 2, `${name}: the screenshot is the whole page`);

  // axe at the phone's size too (scrolling regions, content folded away).
  const found = await axe(page);
  assert.deepEqual(found.map((v) => `${v.id}: ${v.targets.slice(0, 5).join(", ")}`), [], `${name}: axe at 390px`);
}

async function open(who, path, name, links, status = 200) {
  const page = pages[who];
  const response = await page.goto(env.base + path);
  assert.equal(response.status(), status, `${path} answers`);
  await fits(page, name, links);
  return page;
}

const officer = ["Đơn vị hành chính", "Số liệu phong trào", "Phân tích", "Báo cáo tổng kết", "Đăng xuất"];
const admin = [...officer, "Người dùng", "Nhật ký"];

test("login page", async () => {
  await open("anonymous", "/dang-nhap", "login", ["Đơn vị hành chính", "Đăng nhập", "English"]);
});

test("home page", async () => {
  await open("commune", "/", "home", officer);
});

test("entry page", async () => {
  await open("commune", "/so-lieu/antq-6t/03325/2026S2", "entry", officer);
});

test("data list and completeness", async () => {
  await open("commune", "/so-lieu", "data", officer);
  await open("province", "/tien-do/antq-6t/11/2026S2", "progress", officer);
});

test("analytics", async () => {
  await open("province", "/phan-tich", "analysis-form", officer);
  await open("province", "/phan-tich?i=mh_moi&i=mh_nhan_rong&i=tcqc_so&unit=11&from=2013&to=2023&by=year&map=historical&at=2023-06-30", "analysis", officer);
});

test("reviews: the list and a review", async () => {
  const page = await open("front", "/bao-cao", "reviews", officer);
  await page.fill("#new-review input[name=unit]", "87");
  await page.fill("#new-review input[name=from]", "2020");
  await page.fill("#new-review input[name=to]", "2023");
  await Promise.all([page.waitForURL(/\/bao-cao\/\d+$/), page.locator("#new-review button.primary").tap()]);
  await fits(page, "review", officer);
  // The list again, now with a review in its table.
  await page.goto(env.base + "/bao-cao");
  assert.ok((await page.locator("#review-list tbody tr").count()) >= 1);
  await fits(page, "reviews-list", officer);
});

test("units: the browser and a unit", async () => {
  await open("commune", "/don-vi?q=muong+phang", "units", officer);
  await open("commune", "/don-vi/03127", "unit", officer);
});

test("administration: users and the audit log", async () => {
  await open("admin", "/quan-tri/nguoi-dung", "users", admin);
  await open("admin", "/quan-tri/nhat-ky", "audit", admin);
});

test("catalogue and an error page", async () => {
  await open("admin", "/quan-tri/danh-muc", "catalogue", admin);
  await open("anonymous", "/khong-co-trang-nay", "not-found", ["Đơn vị hành chính", "Đăng nhập"], 404);
});

test("the menu works without JavaScript", async () => {
  const page = await login(env, "ca.muongphang", { ...phone, javaScriptEnabled: false });
  await page.goto(env.base + "/don-vi");
  const nav = page.locator("header details.menu nav");
  assert.equal(await nav.isVisible(), false);
  await page.locator("header details.menu summary").tap();
  assert.ok(await nav.getByText("Số liệu phong trào").isVisible());
  await Promise.all([page.waitForURL(`${env.base}/so-lieu`), nav.getByText("Số liệu phong trào").tap()]);
  assert.equal(await page.locator("header details.menu nav").isVisible(), false, "closed on the next page");
  await page.close();
});

test("on a wide screen the links are in the header without a menu", async () => {
  const page = await login(env, "ca.muongphang", { viewport: { width: 1280, height: 800 } });
  assert.equal(await page.locator("header details.menu summary").isVisible(), false);
  for (const text of officer) assert.ok(await page.locator("header nav").getByText(text).first().isVisible(), text);
  const box = await page.locator("header").boundingBox();
  assert.ok(box.height < 120, `the header is one band (${box.height}px)`);
  await page.close();
});
