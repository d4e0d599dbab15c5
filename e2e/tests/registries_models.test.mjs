// The Điện Biên police register a model, replicate it at Mường Phăng, and
// the register lists the replication behind the province's figure at once;
// the pages pass axe, also at 390 px. (Owned by the models work of issue 13.)
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

test("a model registered, replicated, and counted by the figure filter", async () => {
  const { base } = env;
  const police = await login(env, "ca.dienbien");
  await police.goto(base + "/mo-hinh?unit=11&from=2025&to=2025&count=nhan_rong");
  const before = Number((await police.locator("#model-sentence").textContent()).match(/: ([\d.]+)/)[1].replace(/\./g, ""));
  await police.goto(base + "/mo-hinh/moi");
  await clean(police, "new model");
  await police.fill("#model-new input[name=name]", "Camera an ninh tổ dân phố 9 (e2e)");
  await police.selectOption("#model-new select[name=type]", { label: "Camera an ninh" });
  await police.fill("#model-new input[name=unit]", "11");
  await police.fill("#model-new input[name=started_on]", "02/09/2025");
  await Promise.all([police.waitForURL(/\/mo-hinh\/\d+$/), police.click("#model-submit")]);
  const original = police.url();
  assert.match(await police.locator("#model-state").textContent(), /Mới xây dựng/);
  await clean(police, "model page");

  await police.fill("#model-replicate input[name=rep_unit]", "03325");
  await police.fill("#model-replicate input[name=started_on]", "03/09/2025");
  await Promise.all([police.waitForURL((u) => /\/mo-hinh\/\d+$/.test(u.pathname) && u.href !== original), police.click("#model-replicate-submit")]);
  assert.match(await police.locator("#model-replicates").textContent(), /Camera an ninh tổ dân phố 9 \(e2e\)/);

  await police.goto(base + "/mo-hinh?unit=11&from=2025&to=2025&count=nhan_rong");
  const sentence = await police.locator("#model-sentence").textContent();
  assert.match(sentence, /Mô hình nhân rộng năm 2025 của tỉnh Điện Biên: /);
  const after = Number(sentence.match(/: ([\d.]+)/)[1].replace(/\./g, ""));
  assert.equal(after, before + 1, sentence);
  assert.match(await police.locator("#model-list").textContent(), /Camera an ninh tổ dân phố 9 \(e2e\)/);
  await clean(police, "figure list");

  const small = await login(env, "ca.dienbien", phone);
  for (const path of ["/mo-hinh", "/mo-hinh/moi", new URL(original).pathname, "/mo-hinh/loai", "/mo-hinh/dien-hinh"]) {
    await small.goto(base + path);
    const width = await small.evaluate(() => document.scrollingElement.scrollWidth);
    assert.ok(width <= 390, `${path}: ${width}px wide at 390px`);
    await clean(small, `${path} at 390px`);
  }
});
