// The Mường Phăng police register a team by name in the form, record its
// members, evaluate it on the batch page; the list's figure filter counts it
// in words; every page of the register passes axe, also at 390 px.
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

test("a team registered, its members recorded, evaluated, and counted by the figure filter", async () => {
  const { base } = env;
  const police = await login(env, "ca.muongphang");
  await police.goto(base + "/to-chuc-quan-chung/moi");
  await clean(police, "new team");
  await police.fill("#team-new input[name=unit]", "03325");
  await police.selectOption("#team-new select[name=kind]", { label: "Tổ an ninh nhân dân" });
  await police.fill("#team-new input[name=name]", "Tổ an ninh nhân dân bản Kiểm Thử");
  await police.fill("#team-new input[name=established_on]", "01/03/2020");
  await police.fill("#team-new input[name=leader]", "Lò Văn Thắng");
  await police.fill("#team-new input[name=members]", "12");
  await Promise.all([police.waitForURL(/\/to-chuc-quan-chung\/\d+$/), police.click("#team-submit")]);
  const url = police.url();
  assert.match(await police.locator("#team-facts").textContent(), /Tổ an ninh nhân dân/);
  await police.fill("#team-members-form input[name=on]", "01/01/2023");
  await police.fill("#team-members-form input[name=members]", "15");
  await Promise.all([police.waitForLoadState("load"), police.click("#team-members-form button")]);
  assert.match(await police.locator("#team-history").textContent(), /01\/01\/2023\s*15/);
  await clean(police, "team record");

  await police.goto(base + "/to-chuc-quan-chung/danh-gia?unit=03325&year=2025");
  await clean(police, "evaluation");
  const id = new URL(url).pathname.split("/").pop();
  await police.selectOption(`#team-eval select[name=o_${id}]`, "tot");
  await Promise.all([police.waitForLoadState("load"), police.click("#team-eval-submit")]);
  assert.equal(await police.locator(`#team-eval select[name=o_${id}]`).inputValue(), "tot");

  await police.goto(base + "/to-chuc-quan-chung?unit=03325&at=2023-12-14&mass_org=1");
  assert.match(await police.locator("#team-count").textContent(), /tổ chức quần chúng bảo vệ ANTT ở cơ sở hoạt động ngày 14\/12\/2023/);
  assert.match(await police.locator("#team-list").textContent(), /bản Kiểm Thử/);
  await clean(police, "list");

  const small = await login(env, "quantri", phone);
  for (const path of ["/to-chuc-quan-chung", "/to-chuc-quan-chung/moi", "/to-chuc-quan-chung/loai", "/to-chuc-quan-chung/nhap", "/to-chuc-quan-chung/danh-gia?unit=03325&year=2025", new URL(url).pathname]) {
    await small.goto(base + path);
    const width = await small.evaluate(() => document.scrollingElement.scrollWidth);
    assert.ok(width <= 390, `${path}: ${width}px wide at 390px`);
    await clean(small, `${path} at 390px`);
  }
});
