// The Điện Biên police record the 19/5/2023 conference in the browser
// (organisers, two attendees), open its page and its press draft; both are
// axe-clean, also on a 390 px phone, with nothing wider than the screen.
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

async function clean(page, what) {
  const found = await axe(page);
  const told = found.map((v) => `  ${v.impact} ${v.id} (${v.help}):\n${v.targets.map((t) => `    ${t}`).join("\n")}`).join("\n");
  assert.deepEqual(found.map((v) => v.id), [], `axe on ${what}:\n${told}`);
}

async function fitsThePhone(page, what) {
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 390, `${what} is ${wide} px wide on a 390 px screen`);
}

test("record a conference, open its page and its press draft", async () => {
  const { base } = env;
  const page = await login(env, "ca.dienbien");
  await page.goto(base + "/hoi-nghi");
  await clean(page, "/hoi-nghi");
  await Promise.all([page.waitForURL(/\/hoi-nghi\/moi$/), page.click("#new-conference")]);
  await clean(page, "/hoi-nghi/moi");
  // The holding unit is the officer's own, by name.
  assert.equal(await page.inputValue("#conference-unit"), "Tỉnh Điện Biên");
  await page.selectOption("#cf-kind", "tong_ket");
  await page.fill("#cf-title", "Hội nghị tổng kết 10 năm thực hiện Chương trình phối hợp số 09");
  await page.fill("#cf-held-on", "19/05/2023");
  await page.fill("input[name=stage_from]", "2013");
  await page.fill("input[name=stage_to]", "2023");
  await page.selectOption("select[name=org_body_0]", "cong_an");
  await page.selectOption("select[name=org_body_1]", "khac");
  await page.fill("input[name=org_name_1]", "Ban Thường trực Ủy ban MTTQ tỉnh Điện Biên");
  await page.fill("input[name=att_rank_0]", "ông");
  await page.fill("input[name=att_name_0]", "Lê Thành Đô");
  await page.fill("input[name=att_office_0]", "Chủ tịch UBND tỉnh Điện Biên");
  await page.fill("input[name=att_rank_1]", "Đồng chí");
  await page.fill("input[name=att_name_1]", "Lò Văn Mừng");
  await page.fill("input[name=att_office_1]", "Chủ tịch Ủy ban MTTQ Việt Nam tỉnh Điện Biên");
  await Promise.all([page.waitForURL(/\/hoi-nghi\/\d+$/), page.click("#cf-save")]);
  const url = page.url();

  const organisers = await page.locator("#conference-organisers").textContent();
  assert.match(organisers, /Công an tỉnh Điện Biên/);
  assert.match(organisers, /Ban Thường trực Ủy ban MTTQ tỉnh Điện Biên/);
  const attendees = await page.locator("#conference-attendees li").allTextContents();
  assert.deepEqual(attendees, [
    "ông Lê Thành Đô - Chủ tịch UBND tỉnh Điện Biên",
    "Đồng chí Lò Văn Mừng - Chủ tịch Ủy ban MTTQ Việt Nam tỉnh Điện Biên",
  ]);
  assert.match(await page.locator("#conference-facts").textContent(), /19\/05\/2023/);
  await clean(page, url);

  await Promise.all([page.waitForURL(/\/tin-bai$/), page.click("#press-draft-link")]);
  const lead = await page.inputValue("#draft-lead");
  assert.match(lead, /^Ngày 19\/5\/2023, Công an tỉnh Điện Biên và Ban Thường trực Ủy ban MTTQ tỉnh Điện Biên tổ chức /);
  assert.match(await page.inputValue("#draft-headline"), /^Điện Biên: /);
  const body = await page.inputValue("#draft-body");
  assert.match(body, /Dự hội nghị có ông Lê Thành Đô - Chủ tịch UBND tỉnh Điện Biên; đồng chí Lò Văn Mừng/);
  // The author line from the officer's initials, then as the editor types them.
  await page.fill("#draft-author input[name=author]", "T.L");
  await Promise.all([page.waitForURL(/author=T\.L/), page.click("#draft-author button")]);
  assert.match(await page.inputValue("#draft-body"), /T\.L tổng hợp$/);
  await clean(page, url + "/tin-bai");

  // The awards given there: recorded from the conference's page, then
  // said by the press draft ("Nhân dịp này, …").
  await page.goto(url);
  await Promise.all([page.waitForURL(/\/khen-thuong\/moi\?hoi_nghi=\d+$/), page.click("#record-awards")]);
  assert.match(await page.locator("#award-conference").textContent(), /Hội nghị tổng kết 10 năm .*19\/05\/2023/);
  await page.selectOption("select[name=form]", "giay_khen");
  await page.selectOption("select[name=office]", "giam_doc_ca_tinh");
  await page.fill("input[name=name_0]", "Công an xã Mường Phăng");
  await page.fill("input[name=name_1]", "Công an xã Thanh Nưa");
  await page.selectOption("select[name=kind_2]", "ca_nhan");
  await page.fill("input[name=name_2]", "Nguyễn Văn Minh");
  await page.fill("input[name=decision]", "125/QĐ-CAT");
  await page.fill("input[name=date]", "19/05/2023");
  await clean(page, "/khen-thuong/moi");
  await Promise.all([page.waitForURL(/\/khen-thuong\/\d+$/), page.click("#award-submit")]);
  await page.goto(url + "/tin-bai");
  assert.match(
    await page.inputValue("#draft-body"),
    /Nhân dịp này, Công an tỉnh tặng Giấy khen cho 2 tập thể, 1 cá nhân\./,
  );

  // On a phone.
  const phone = await login(env, "ca.dienbien", { viewport: { width: 390, height: 844 } });
  for (const path of [url, url + "/tin-bai", base + "/hoi-nghi", base + "/hoi-nghi/moi"]) {
    await phone.goto(path);
    await clean(phone, `${path} at 390 px`);
    await fitsThePhone(phone, path);
  }
});
