// What waits for a commune officer: a report the province returned shows
// on the home page with its reason, in words (no period code), and opens.
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

/// The half-year running today under the reporting calendar (15/12 → 14/06, 15/06 → 14/12).
function currentHalf(now = new Date()) {
  const vn = new Date(now.getTime() + 7 * 3600 * 1000);
  let y = vn.getUTCFullYear();
  let m = vn.getUTCMonth() + 1;
  if (vn.getUTCDate() >= 15) {
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return { code: `${y}S${m <= 6 ? 1 : 2}`, words: `6 tháng ${m <= 6 ? "đầu" : "cuối"} năm ${y}` };
}

test("a returned report waits on the commune's home page, with its reason, and opens", async () => {
  const { base } = env;
  const half = currentHalf();
  const report = `/so-lieu/antq-6t/03325/${half.code}`;
  const commune = await login(env, "ca.muongphang");
  await commune.goto(base + report);
  await commune.fill("#v-tt_buoi", "12");
  await commune.fill("#v-tt_luot", "4.378");
  await commune.fill("#v-gd_doi_tuong", "10");
  await commune.fill("#v-gd_tien_bo", "7");
  await commune.press("#v-gd_tien_bo", "Tab");
  // Wait until the draft is saved (the panel says when), then submit.
  await commune.locator("#validation p.muted").waitFor({ timeout: 15_000 });
  await commune.locator("#validation .ok-text").waitFor({ timeout: 15_000 });
  await Promise.all([commune.waitForLoadState("load"), commune.click("#submit-report")]);
  assert.match(await commune.locator("#report-state").textContent(), /Đã gửi/);

  // The province sees it waiting for approval on its home page, and returns it.
  const province = await login(env, "ca.dienbien");
  const waiting = await province.locator("#home-approve").textContent();
  assert.match(waiting, /Xã Mường Phăng/);
  assert.ok(waiting.includes(half.words), `${half.words} in ${waiting}`);
  await province.goto(base + report);
  await province.fill("input[name=comment][required]", "Thiếu số buổi tuyên truyền ở bản Co Mỵ");
  await Promise.all([province.waitForLoadState("load"), province.click("button.danger:has-text('Trả lại')")]);

  // The commune's home page: the returned report first, with the reason.
  await commune.goto(base + "/");
  const fix = commune.locator("#home-fix");
  // Returned reports come first; ours is among them.
  assert.match(await fix.locator("li").first().textContent(), /Bị trả lại/);
  const first = fix.locator(`li:has(a[href="${report}"])`);
  const text = await first.textContent();
  assert.match(text, /Bị trả lại/);
  assert.match(text, /Thiếu số buổi tuyên truyền ở bản Co Mỵ/);
  assert.ok(text.includes(half.words), text);
  const body = await commune.locator("main").textContent();
  assert.doesNotMatch(body, /\b\d{4}S[12]\b/, "no period code on the home page");
  await commune.screenshot({ path: join(results, "home-worklist.png"), fullPage: true });
  await Promise.all([commune.waitForURL(base + report), first.locator("a").click()]);
  assert.match(await commune.locator("#report-state").textContent(), /Bị trả lại/);
  assert.match(await commune.locator("main").textContent(), /Thiếu số buổi tuyên truyền ở bản Co Mỵ/);
  await commune.close();
  await province.close();
});
