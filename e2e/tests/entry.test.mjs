// The entry page never loses a typed value, in Chromium: one bad cell then
// "Gửi lên cấp trên"; the qualifier set from the words typed; a session that
// ends while typing (entries kept, log in again, entries restored and saved);
// and the page at 390 × 844 as a list of cards, with nothing scrolling sideways.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { start, login, password, results } from "./lib/app.mjs";

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.stop();
});

async function saved(page) {
  // The checks panel is replaced after each autosave ("Đã lưu lúc …").
  await page.locator("#validation :text('Đã lưu lúc')").waitFor({ timeout: 15_000 });
}

test("typing with one bad cell, then submitting, loses nothing", async () => {
  const { base } = env;
  const report = `${base}/so-lieu/antq-6t/03325/2026S2`;
  const page = await login(env, "ca.muongphang");
  await page.goto(report);
  await page.fill("#v-tt_buoi", "12");
  await page.fill("#v-dd_so", "12,5a");
  await page.fill("#v-tt_luot", "hơn 300");
  await page.press("#v-tt_luot", "Tab");
  // The autosave keeps the good values and marks the bad cell, by its label.
  await page.locator("#v-dd_so[aria-invalid='true']").waitFor({ timeout: 15_000 });
  const message = await page.locator("#e-dd_so").textContent();
  assert.match(message, /không phải số/);
  assert.doesNotMatch(message, /dd_so/, "never the indicator's code");
  assert.match(await page.locator("#report-state").textContent(), /Đang nhập/, "the badge follows the draft");
  assert.equal(await page.inputValue("#v-dd_so"), "12,5a", "the bad cell keeps its text");

  // "Gửi lên cấp trên" with the bad cell: nothing sent, nothing lost.
  await page.fill("#v-gd_doi_tuong", "10");
  await Promise.all([page.waitForLoadState("load"), page.click("#submit-report")]);
  await page.locator("#entry-notice").waitFor();
  assert.match(await page.locator("#entry-notice").textContent(), /chưa được gửi lên cấp trên/);
  assert.equal(await page.inputValue("#v-dd_so"), "12,5a");
  assert.equal(await page.inputValue("#v-tt_buoi"), "12");
  assert.equal(await page.inputValue("#v-tt_luot"), "hơn 300");
  assert.equal(await page.inputValue("#v-gd_doi_tuong"), "10");
  assert.equal(await page.getAttribute("#v-dd_so", "aria-invalid"), "true");
  assert.match(await page.locator("#report-state").textContent(), /Đang nhập/);
  await page.screenshot({ path: join(results, "entry-bad-cell.png"), fullPage: true });

  // Fixed: one press saves and sends it up, and the page says so.
  await page.fill("#v-dd_so", "2");
  await Promise.all([page.waitForLoadState("load"), page.click("#submit-report")]);
  assert.match(await page.locator(".flash.ok").textContent(), /Đã gửi lên cấp trên/);
  assert.match(await page.locator("#report-state").textContent(), /Đã gửi/);
  assert.match(await page.locator("#v-tt_luot-shown").textContent(), /hơn 300/);
  assert.match(await page.locator("#v-gd_doi_tuong-shown").textContent(), /10/);
  assert.match(await page.locator("#report-history").textContent(), /Gửi lên cấp trên/);
  await page.close();
});

test("typing a qualifier's word sets the qualifier at once", async () => {
  const { base } = env;
  const report = `${base}/so-lieu/antq-6t/03127/2026S2`;
  const page = await login(env, "ca.dienbienphu");
  await page.goto(report);
  for (const [typed, q] of [["hơn 300", "more_than"], ["khoảng 2.000", "about"], ["gần 50", "nearly"], ["1.234", "exact"]]) {
    await page.locator("#v-tt_luot").fill("");
    await page.locator("#v-tt_luot").pressSequentially(typed);
    assert.equal(await page.inputValue("#q-tt_luot"), q, `${typed} → ${q}, before any save`);
  }
  await page.locator("#v-tt_luot").fill("");
  await page.locator("#v-tt_luot").pressSequentially("hơn 300");
  await page.press("#v-tt_luot", "Tab");
  await saved(page);
  await page.reload();
  assert.equal(await page.inputValue("#v-tt_luot"), "300");
  assert.equal(await page.inputValue("#q-tt_luot"), "more_than", "saved with its qualifier");
  assert.equal(await page.locator("details.entry-more[open] #q-tt_luot").count(), 1, "a set qualifier is shown unfolded");
  await page.close();
});

test("a session that ends while typing keeps the entries and restores them after login", async () => {
  const { base } = env;
  const path = "/so-lieu/antq-6t/03127/2026S1";
  const page = await login(env, "ca.dienbienphu");
  await page.goto(base + path);
  await page.fill("#v-tt_buoi", "7");
  await page.press("#v-tt_buoi", "Tab");
  await saved(page);

  // The session ends (the cookie is gone); the officer keeps typing.
  await page.context().clearCookies({ name: "antq_session" });
  await page.fill("#v-dd_so", "21");
  await page.fill("#v-dd_luot", "khoảng 2.000");
  await page.press("#v-dd_luot", "Tab");
  const notice = page.locator("#entry-session");
  await notice.waitFor({ state: "visible", timeout: 15_000 });
  assert.match(await notice.textContent(), /Phiên đăng nhập đã hết/);
  assert.equal(await page.locator("#entry-form #password").count(), 0, "no login page inside the page");
  assert.equal(await page.inputValue("#v-dd_so"), "21", "the typed value is still there");
  await page.screenshot({ path: join(results, "entry-session-ended.png"), fullPage: true });

  // Log in again, and come back to the same page with the entries.
  await Promise.all([page.waitForURL(/\/dang-nhap/), page.click("#login-again")]);
  await page.fill("#username", "ca.dienbienphu");
  await page.fill("#password", password);
  await Promise.all([page.waitForURL(base + path), page.click("button[type=submit].primary")]);
  assert.equal(await page.inputValue("#v-dd_so"), "21");
  assert.equal(await page.inputValue("#v-dd_luot"), "khoảng 2.000");
  assert.equal(await page.inputValue("#v-tt_buoi"), "7");
  assert.match(await page.locator("#entry-session").textContent(), /khôi phục/);
  await saved(page);
  // Saved for good: a fresh load from the server shows them.
  await page.reload();
  assert.equal(await page.inputValue("#v-dd_so"), "21");
  assert.equal(await page.inputValue("#v-dd_luot"), "2.000");
  assert.equal(await page.inputValue("#q-dd_luot"), "about");
  await page.close();
});

test("at 390 × 844 the entry page is a list of cards and nothing scrolls sideways", async () => {
  const { base } = env;
  const context = await env.browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto(`${base}/dang-nhap`);
  await page.fill("#username", "ca.thapmuoi");
  await page.fill("#password", password);
  await Promise.all([page.waitForURL(`${base}/`), page.click("button[type=submit].primary")]);
  await page.goto(`${base}/so-lieu/antq-6t/30037/2026S2`);
  const width = await page.evaluate(() => document.scrollingElement.scrollWidth);
  assert.ok(width <= 390, `the page is ${width} px wide`);
  // Each value is a card: label above the value, qualifier and note folded.
  const row = page.locator(".entry-row[data-key='tt_buoi']");
  assert.equal(await row.evaluate((el) => getComputedStyle(el).display), "block");
  const label = await page.locator("label[for='v-tt_buoi']").boundingBox();
  const input = await page.locator("#v-tt_buoi").boundingBox();
  assert.ok(label.y + label.height <= input.y + 1, "the label sits above the value");
  assert.ok(input.x + input.width <= 390, "the value fits");
  assert.equal(await row.locator("details.entry-more").getAttribute("open"), null, "folded");
  assert.equal(await page.locator("#q-tt_buoi").isVisible(), false);
  // Every control has a label (axe-core's "label" rule).
  const unlabelled = await page.evaluate(() =>
    [...document.querySelectorAll("input:not([type=hidden]), select, textarea")]
      .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute("aria-label") && !el.getAttribute("aria-labelledby"))
      .map((el) => el.name || el.id),
  );
  assert.deepEqual(unlabelled, []);
  // Value first: the tab order goes value, then the fold, then the next value.
  await page.focus("#v-tt_buoi");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.tagName), "SUMMARY");
  await page.keyboard.press("Tab");
  const expected = await page.evaluate(() => {
    const values = [...document.querySelectorAll("input[name^='v:']")];
    return values[values.findIndex((el) => el.id === "v-tt_buoi") + 1].name;
  });
  assert.equal(await page.evaluate(() => document.activeElement.name), expected, "two stops per row");
  await page.fill("#v-tt_buoi", "12,5a");
  await page.press("#v-tt_buoi", "Tab");
  await page.locator("#v-tt_buoi[aria-invalid='true']").waitFor({ timeout: 15_000 });
  const after = await page.evaluate(() => document.scrollingElement.scrollWidth);
  assert.ok(after <= 390, `with a message the page is ${after} px wide`);
  await page.screenshot({ path: join(results, "entry-390.png"), fullPage: true });
  await context.close();
});

test("without JavaScript the same rules hold with plain form posts", async () => {
  const { base } = env;
  const context = await env.browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${base}/dang-nhap`);
  await page.fill("#username", "ca.muongphang");
  await page.fill("#password", password);
  await Promise.all([page.waitForURL(`${base}/`), page.click("button[type=submit].primary")]);
  await page.goto(`${base}/so-lieu/antq-6t/03325/2026S1`);
  await page.fill("#v-tt_buoi", "9");
  await page.fill("#v-dd_so", "ba");
  // Enter in a cell posts the form ("Lưu nháp"): the page comes back with every text.
  await Promise.all([page.waitForLoadState("load"), page.press("#v-dd_so", "Enter")]);
  assert.equal(await page.inputValue("#v-dd_so"), "ba");
  assert.equal(await page.inputValue("#v-tt_buoi"), "9");
  assert.equal(await page.getAttribute("#v-dd_so", "aria-invalid"), "true");
  assert.match(await page.locator("#e-dd_so").textContent(), /không phải số/);
  // Submitting with the bad cell sends nothing up.
  await Promise.all([page.waitForLoadState("load"), page.click("#submit-report")]);
  assert.match(await page.locator("#entry-notice").textContent(), /chưa được gửi lên cấp trên/);
  assert.equal(await page.inputValue("#v-dd_so"), "ba");
  assert.match(await page.locator("#report-state").textContent(), /Đang nhập/);
  await page.fill("#v-dd_so", "3");
  await Promise.all([page.waitForLoadState("load"), page.click("#save-draft")]);
  assert.match(await page.locator(".flash.ok").textContent(), /Đã lưu 1 giá trị/);
  assert.equal(await page.inputValue("#v-tt_buoi"), "9");
  assert.equal(await page.inputValue("#v-dd_so"), "3");
  await context.close();
});

const storeOf = (page) =>
  page.evaluate(() => JSON.parse(sessionStorage.getItem("antq-entry:" + location.pathname) || "null"));

test("only a real save empties the kept entries: a refused save and an unsaved cell stay kept", async () => {
  const { base } = env;
  const report = `${base}/so-lieu/antq-nam/03127/2026`;
  const page = await login(env, "ca.dienbienphu");
  await page.goto(report);
  // Qualifiers read as labels, with a capital letter.
  assert.equal((await page.locator("#q-tt_luot option[value=more_than]").textContent()).trim(), "Hơn");
  assert.equal((await page.locator("#q-tt_luot option[value=exact]").textContent()).trim(), "Chính xác");

  // One good cell, one bad: the good one leaves the store, the bad one stays.
  await page.fill("#v-tt_buoi", "4");
  await page.fill("#v-dd_so", "hai");
  await page.press("#v-dd_so", "Tab");
  await page.locator("#v-dd_so[aria-invalid='true']").waitFor({ timeout: 15_000 });
  let kept = await storeOf(page);
  assert.equal(kept?.fields?.["v:dd_so"], "hai", "the unsaved cell is still kept");
  assert.equal(kept.fields["v:tt_buoi"], undefined, "the saved cell is not");
  await page.fill("#v-dd_so", "2");
  await page.press("#v-dd_so", "Tab");
  await page.locator("#v-dd_so:not([aria-invalid])").waitFor({ timeout: 15_000 });
  await page.waitForFunction(() => sessionStorage.getItem("antq-entry:" + location.pathname) === null, null, { timeout: 15_000 });

  // Sent up meanwhile (as from another tab): the next autosave is refused
  // whole, says so, and the typed value stays kept.
  const status = await page.evaluate(async () => {
    const form = document.getElementById("entry-form");
    const body = new URLSearchParams({ csrf_token: form.elements.csrf_token.value, intent: "submit" });
    const res = await fetch(form.action, { method: "POST", body, redirect: "manual" });
    return res.type === "opaqueredirect" ? 303 : res.status;
  });
  assert.equal(status, 303, "sent up");
  await page.fill("#v-tt_luot", "55");
  await page.press("#v-tt_luot", "Tab");
  await page.locator("#save-notice").waitFor({ timeout: 15_000 });
  assert.match(await page.locator("#save-notice").textContent(), /Chưa lưu được/);
  kept = await storeOf(page);
  assert.equal(kept?.fields?.["v:tt_luot"], "55", "nothing was saved, so nothing leaves the store");
  assert.equal(await page.inputValue("#v-tt_luot"), "55");
  assert.equal(await page.locator("#entry-session").isVisible(), false, "not the offline message");
  await page.close();
});

test("entries kept for one user are never restored for another in the same tab", async () => {
  const { base } = env;
  const path = "/so-lieu/antq-6t/03127/2026S2";
  const page = await login(env, "ca.dienbienphu");
  await page.goto(base + path);
  const before = await page.inputValue("#v-tt_buoi");
  assert.equal(await page.getAttribute("#entry-form", "data-user"), "ca.dienbienphu");
  // What another user typed before their session ended in this tab.
  await page.evaluate(() =>
    sessionStorage.setItem(
      "antq-entry:" + location.pathname,
      JSON.stringify({ user: "ca.muongphang", reason: "expired", fields: { "v:tt_buoi": "777" } }),
    ),
  );
  await page.reload();
  assert.equal(await page.inputValue("#v-tt_buoi"), before, "not restored");
  assert.equal(await page.locator("#entry-session").isVisible(), false);
  assert.equal(await storeOf(page), null, "discarded");
  await page.waitForTimeout(500);
  await page.reload();
  assert.equal(await page.inputValue("#v-tt_buoi"), before, "never saved as this user");

  // The same record of this user is restored (and saved).
  await page.evaluate(() =>
    sessionStorage.setItem(
      "antq-entry:" + location.pathname,
      JSON.stringify({ user: "ca.dienbienphu", reason: "expired", fields: { "v:tt_buoi": "777" } }),
    ),
  );
  await page.reload();
  assert.equal(await page.inputValue("#v-tt_buoi"), "777");
  await saved(page);
  await page.close();
});

test("entries typed offline are saved when the connection is back", async () => {
  const { base } = env;
  const path = "/so-lieu/antq-6t/03127/2025S2";
  const page = await login(env, "ca.dienbienphu");
  await page.goto(base + path);
  await page.context().setOffline(true);
  await page.fill("#v-tt_buoi", "31");
  await page.press("#v-tt_buoi", "Tab");
  const notice = page.locator("#entry-session");
  await notice.waitFor({ state: "visible", timeout: 15_000 });
  assert.match(await notice.textContent(), /sẽ lưu khi kết nối lại/);
  await page.context().setOffline(false);
  await saved(page);
  await notice.waitFor({ state: "hidden", timeout: 15_000 });
  assert.equal(await storeOf(page), null, "saved, so no longer kept");
  await page.reload();
  assert.equal(await page.inputValue("#v-tt_buoi"), "31", "on the server");
  await page.close();
});
