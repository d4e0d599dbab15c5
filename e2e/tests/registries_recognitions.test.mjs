// Safety-standard recognition: the Mường Phăng police register their
// commune for the year (first quarter), the record shows its checklist and
// dossier, the list shows the summary by kind; every page passes axe, also
// at 390 px without sideways scrolling.
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

test("a commune registers, its record and the register pass axe", async () => {
  const { base } = env;
  const year = String(new Date().getFullYear());
  const commune = await login(env, "ca.muongphang");
  await commune.goto(base + "/an-toan-antt/dang-ky");
  await clean(commune, "register form");
  await commune.fill("#rec-register input[name=unit]", "03325");
  await commune.fill("#rec-register input[name=year]", year);
  await commune.selectOption("#rec-register select[name=kind]", "xa");
  await commune.fill("#rec-register input[name=registered_on]", `15/02/${year}`);
  await Promise.all([commune.waitForURL(/\/an-toan-antt\/\d+$/), commune.click("#rec-register button.primary")]);
  const url = commune.url();
  assert.match(await commune.locator("#rec-state").textContent(), /Đã đăng ký/);
  await clean(commune, "record");

  const province = await login(env, "ca.dienbien");
  await province.goto(`${base}/an-toan-antt?unit=11&unit_pick=11&year=${year}`);
  assert.match(await province.locator("#rec-summary").textContent(), /Xã, phường, đặc khu/);
  await clean(province, "register");
  await province.goto(base + "/an-toan-antt/tieu-chi");
  await clean(province, "criteria");

  const small = await login(env, "ca.dienbien", phone);
  for (const path of [`/an-toan-antt?unit=11&unit_pick=11&year=${year}`, "/an-toan-antt/dang-ky", new URL(url).pathname, "/an-toan-antt/tieu-chi"]) {
    await small.goto(base + path);
    await clean(small, `${path} at 390 px`);
    const wide = await small.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= 390, `${path}: ${wide}px wide at 390 px`);
  }
});
