// axe-core on the main pages, as the people who use them: no critical or
// serious violation anywhere (labels, contrast, landmarks, names, ARIA).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { start, login, axe } from "./lib/app.mjs";

let env;
const pages = {};
before(async () => {
  env = await start();
  pages.commune = await login(env, "ca.muongphang");
  pages.province = await login(env, "ca.dienbien");
  pages.front = await login(env, "mt.dongthap");
  pages.admin = await login(env, "quantri");
});
after(async () => {
  await env?.stop();
});

/// Opens `path` as `who` and fails with every violation's rule and elements.
async function clean(who, path) {
  const page = pages[who];
  const response = await page.goto(env.base + path);
  assert.equal(response.status(), 200, `${path} answers`);
  await check(page, path);
  return page;
}

async function check(page, what) {
  const found = await axe(page);
  const told = found.map((v) => `  ${v.impact} ${v.id} (${v.help}):\n${v.targets.map((t) => `    ${t}`).join("\n")}`).join("\n");
  assert.deepEqual(found.map((v) => v.id), [], `axe on ${what}:\n${told}`);
}

test("login page", async () => {
  const page = await env.browser.newPage();
  await page.goto(env.base + "/dang-nhap");
  await check(page, "/dang-nhap");
  // A failed login shows its message, still clean.
  await page.fill("#username", "ca.muongphang");
  await page.fill("#password", "sai");
  await Promise.all([page.waitForLoadState("load"), page.click("button[type=submit].primary")]);
  await page.locator("#login-error").waitFor();
  await check(page, "/dang-nhap with an error");
  await page.close();
});

test("home page", async () => {
  await clean("commune", "/");
  await clean("province", "/");
});

test("entry page of a demo report", async () => {
  await clean("commune", "/so-lieu/antq-6t/03325/2026S2");
});

test("data list", async () => {
  await clean("commune", "/so-lieu");
});

test("completeness page", async () => {
  await clean("province", "/tien-do/antq-6t/11/2026S2");
});

test("analytics page", async () => {
  await clean("province", "/phan-tich");
  await clean("province", "/phan-tich?i=mh_moi&i=mh_nhan_rong&i=tcqc_so&unit=11&from=2013&to=2023&by=year&map=historical&at=2023-06-30");
});

test("reviews: the list and a review", async () => {
  const page = await clean("front", "/bao-cao");
  await page.fill("#new-review input[name=unit]", "87");
  await page.fill("#new-review input[name=from]", "2020");
  await page.fill("#new-review input[name=to]", "2023");
  await Promise.all([page.waitForURL(/\/bao-cao\/\d+$/), page.click("#new-review button.primary")]);
  await check(page, page.url());
});

test("units: the browser and a unit", async () => {
  await clean("commune", "/don-vi");
  await clean("commune", "/don-vi?q=muong+phang");
  await clean("commune", "/don-vi/03127");
});

test("administration: users and the audit log", async () => {
  await clean("admin", "/quan-tri/nguoi-dung");
  await clean("admin", "/quan-tri/nhat-ky");
});

test("an error page", async () => {
  const page = pages.commune;
  const response = await page.goto(env.base + "/khong-co-trang-nay");
  assert.equal(response.status(), 404);
  await check(page, "a 404 page");
});

test("the skip link comes first and leads to the content; landmarks are there", async () => {
  const page = pages.commune;
  await page.goto(env.base + "/so-lieu");
  await page.keyboard.press("Tab");
  const skip = page.locator("a.skip-link");
  assert.equal(await skip.evaluate((a) => a === document.activeElement), true, "the first Tab stop is the skip link");
  assert.equal(await skip.textContent(), "Bỏ qua điều hướng");
  const box = await skip.boundingBox();
  assert.ok(box.y >= 0 && box.height > 20, "the focused skip link is on screen");
  await page.keyboard.press("Enter");
  assert.equal(new URL(page.url()).hash, "#main");
  assert.equal(await page.evaluate(() => document.activeElement.id), "main", "the focus moved to the content");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => !!document.activeElement.closest("main")), true, "the next stop is in the content, not the menu");
  // The skip link is out of sight until focused.
  await page.goto(env.base + "/so-lieu");
  assert.ok((await skip.boundingBox()).y + (await skip.boundingBox()).height <= 0, "hidden above the page until focused");

  for (const role of ["banner", "main", "contentinfo"]) assert.equal(await page.getByRole(role).count(), 1, role);
  assert.equal(await page.getByRole("navigation", { name: "Điều hướng chính" }).count(), 1);
  // On a wide screen the links follow the brand in the tab order, the current section is marked.
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "Đơn vị hành chính");
  assert.equal(await page.locator('header nav a[aria-current="page"]').textContent(), "Số liệu phong trào");
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.equal(outline, "solid", "a visible focus ring");
});

test("the page's language follows the switch", async () => {
  const page = pages.commune;
  await page.goto(env.base + "/don-vi");
  assert.equal(await page.getAttribute("html", "lang"), "vi");
  await Promise.all([page.waitForLoadState("load"), page.click("header nav a.lang")]);
  assert.equal(await page.getAttribute("html", "lang"), "en");
  assert.equal(new URL(page.url()).pathname, "/don-vi");
  assert.equal(await page.locator("a.skip-link").textContent(), "Skip to the content");
  assert.equal(await page.getAttribute("header nav a.lang", "lang"), "vi", "the switch's own words are marked Vietnamese");
  await check(page, "/don-vi in English");
  await Promise.all([page.waitForLoadState("load"), page.click("header nav a.lang")]);
  assert.equal(await page.getAttribute("html", "lang"), "vi");
});
