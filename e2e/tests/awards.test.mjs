// The Mường Phăng police propose a Giấy khen of the provincial police for two
// recipients; the Điện Biên police decide it, accepting one; the register
// shows the decision and its count by issuer; the pages pass axe, also at 390 px.
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

test("a proposal with two recipients, decided in part, in the register", async () => {
  const { base } = env;
  const commune = await login(env, "ca.muongphang");
  await commune.goto(base + "/khen-thuong/moi");
  await clean(commune, "new award");
  await commune.fill("#award-new input[name=unit]", "03325");
  await commune.fill("#award-new input[name=issuer_unit]", "11");
  await commune.selectOption("#award-new select[name=form]", "giay_khen");
  await commune.selectOption("#award-new select[name=office]", "giam_doc_ca_tinh");
  await commune.selectOption("#award-new select[name=kind_0]", "tap_the");
  await commune.fill("#award-new input[name=name_0]", "Tổ an ninh nhân dân bản Che Căn");
  await commune.selectOption("#award-new select[name=kind_1]", "ca_nhan");
  await commune.fill("#award-new input[name=name_1]", "Lò Văn Thắng");
  await commune.fill("#award-new input[name=position_1]", "Tổ trưởng");
  await Promise.all([commune.waitForURL(/\/khen-thuong\/\d+$/), commune.click("#award-submit")]);
  const url = commune.url();
  assert.match(await commune.locator("#award-state").textContent(), /Đang đề nghị/);
  assert.equal(await commune.locator("#award-decide").count(), 0, "the commune does not decide");

  const province = await login(env, "ca.dienbien");
  await province.goto(url);
  await clean(province, "award to decide");
  await province.uncheck("#award-decide input[name=accepted] >> nth=1");
  await province.fill("#award-decide input[name=decision]", "301/QĐ-CAT");
  await province.fill("#award-decide input[name=date]", "02/04/2026");
  await Promise.all([province.waitForLoadState("load"), province.click("#award-decide button.primary")]);
  assert.match(await province.locator("#award-state").textContent(), /Đã quyết định/);
  const recipients = await province.locator("#award-recipients").textContent();
  assert.match(recipients, /Tổ an ninh nhân dân bản Che Căn\s*Tập thể[\s\S]*Được khen/);
  assert.match(recipients, /Lò Văn Thắng[\s\S]*Không được khen/);

  await province.goto(base + "/khen-thuong?unit=11&from=2026&to=2026");
  assert.match(await province.locator("#award-by-issuer").textContent(), /Công an tỉnh Điện Biên tặng Giấy khen cho 1 tập thể/);
  assert.match(await province.locator("#award-list").textContent(), /301\/QĐ-CAT/);
  await clean(province, "register");

  const small = await login(env, "ca.dienbien", phone);
  for (const path of ["/khen-thuong", "/khen-thuong/moi", new URL(url).pathname]) {
    await small.goto(base + path);
    const width = await small.evaluate(() => document.scrollingElement.scrollWidth);
    assert.ok(width <= 390, `${path}: ${width}px wide at 390px`);
    await clean(small, `${path} at 390px`);
  }
});
