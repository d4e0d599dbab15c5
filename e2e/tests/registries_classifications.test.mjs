// The Mường Phăng police open their commune's score sheet, score every item
// and submit it; the Điện Biên police review it and decide: the band follows
// the total and the configured thresholds. The list, the sheet and the
// printable sheet pass axe, also at 390 px.
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

test("a commune scores itself, the province decides, the sheet prints", async () => {
  const { base } = env;
  const year = String(new Date().getFullYear());
  const commune = await login(env, "ca.muongphang");
  await commune.goto(`${base}/phan-loai-phong-trao/moi?unit=03325&unit_pick=03325&year=${year}`);
  await clean(commune, "new sheet");
  await Promise.all([commune.waitForURL(/\/phan-loai-phong-trao\/\d+$/), commune.click("#cls-new button.primary")]);
  const url = commune.url();
  await clean(commune, "sheet to score");
  // Every item at its maximum but the first, one point less.
  const inputs = commune.locator("#cls-score input[name^=p_]");
  const n = await inputs.count();
  assert.ok(n > 5, `${n} items`);
  for (let i = 0; i < n; i++) {
    const max = (await inputs.nth(i).locator("xpath=ancestor::tr").locator("td.num").first().textContent()).trim();
    await inputs.nth(i).fill(i === 0 ? String(Number(max.replace(",", ".")) - 1).replace(".", ",") : max);
  }
  await Promise.all([commune.waitForLoadState("load"), commune.click("#cls-score button.primary")]);
  assert.match(await commune.locator("#cls-self-total").textContent(), /^99$/);
  await Promise.all([commune.waitForLoadState("load"), commune.click("#cls-submit button")]);
  assert.match(await commune.locator("#cls-state").textContent(), /Đã gửi cấp trên/);
  assert.equal(await commune.locator("#cls-decide").count(), 0, "the commune does not decide");

  const province = await login(env, "ca.dienbien");
  await province.goto(url);
  await clean(province, "sheet to review");
  await Promise.all([province.waitForLoadState("load"), province.click("#cls-decide button")]);
  assert.match(await province.locator("#cls-band").textContent(), /Xuất sắc/);

  await province.goto(`${url}/in`);
  const doc = await province.locator("#cls-print").textContent();
  assert.match(doc, /CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM/);
  assert.match(doc, /BẢNG CHẤM ĐIỂM ĐÁNH GIÁ, PHÂN LOẠI PHONG TRÀO TOÀN DÂN BẢO VỆ AN NINH TỔ QUỐC NĂM/);
  await clean(province, "print");

  await province.goto(`${base}/phan-loai-phong-trao?unit=11&unit_pick=11&year=${year}`);
  assert.match(await province.locator("#cls-list").textContent(), /Mường Phăng[\s\S]*Xuất sắc/);
  await clean(province, "list");
  await province.goto(`${base}/phan-loai-phong-trao/mau`);
  await clean(province, "templates");

  const small = await login(env, "ca.dienbien", phone);
  const id = new URL(url).pathname;
  for (const path of ["/phan-loai-phong-trao?unit=11&unit_pick=11", "/phan-loai-phong-trao/moi", id, `${id}/in`, "/phan-loai-phong-trao/mau"]) {
    await small.goto(base + path);
    const width = await small.evaluate(() => document.scrollingElement.scrollWidth);
    assert.ok(width <= 390, `${path}: ${width}px wide at 390px`);
    await clean(small, `${path} at 390px`);
  }
});
