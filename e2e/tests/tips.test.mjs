// Citizen information ("tin báo"): a citizen sends a scam tip about Mường
// Phăng from a phone (the browser computes the proof of work) and gets a
// receipt (a photo attached, its GPS position stripped); the commune police officer opens it and asks a question; the
// citizen comes back with the receipt, reads the question and answers; the
// officer reads the answer. axe finds nothing critical or serious on the
// public form, the receipt, the tipster's page, the inbox and the tip at
// 390 px. Without JavaScript the form says how long to wait, and a form
// sent too early comes back with what was typed.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { start, login, axe, results } from "./lib/app.mjs";

const phone = { viewport: { width: 390, height: 844 } };

/** A tiny JPEG with an EXIF segment holding a GPS position, as a phone writes one. */
function photoWithGps() {
  const exif = Buffer.from("Exif\0\0GPSLatitude 21.3856 GPSLongitude 103.0169", "latin1");
  const len = Buffer.alloc(2);
  len.writeUInt16BE(exif.length + 2);
  return Buffer.concat([
    Buffer.from([0xff, 0xd8, 0xff, 0xe1]), len, exif,
    Buffer.from([0xff, 0xc0, 0x00, 0x0b, 8, 0, 1, 0, 1, 1, 1, 0x11, 0]),
    Buffer.from([0xff, 0xda, 0x00, 0x08, 1, 1, 0, 0, 0x3f, 0, 0x55, 0xff, 0xd9]),
  ]);
}
let env;
// The server keeps its tips secret in its data directory: a temporary one.
const dataDir = mkdtempSync(join(tmpdir(), "antq-e2e-tips-"));
before(async () => {
  process.env.ANTQ__DATA_DIR = dataDir;
  // A light proof of work keeps the test quick (the default is 18 bits).
  process.env.ANTQ__TIPS_DIFFICULTY = "10";
  env = await start();
});
after(async () => {
  await env?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function noViolations(page, what) {
  const found = await axe(page);
  assert.deepEqual(found, [], `${what}: ${JSON.stringify(found, null, 1)}`);
}

async function officerLogin() {
  return login(env, "ca.muongphang", phone);
}

test("a citizen's tip, the officer's question and the citizen's answer", async () => {
  const { base, browser } = env;
  // The officer logs in once (the key for reading tips is made), then out.
  const first = await officerLogin();
  await first.locator("#menu summary").click();
  await Promise.all([first.waitForURL(base + "/"), first.click("form.logout button")]);
  assert.equal(await first.locator("form.logout").count(), 0, "logged out");
  await first.close();

  // The citizen, on a phone, without an account.
  const citizenCtx = await browser.newContext(phone);
  const citizen = await citizenCtx.newPage();
  await citizen.goto(base + "/dang-nhap");
  await Promise.all([citizen.waitForURL(base + "/tin-bao"), citizen.click("#login-send-tip")]);
  assert.match(await citizen.locator("main").textContent(), /Không lưu gì về người gửi/);
  await Promise.all([
    citizen.waitForURL(/\/tin-bao\/gui\?loai=/),
    citizen.click("a.tip-cat:has-text('Lừa đảo trên không gian mạng')"),
  ]);
  const res = await citizen.goto(citizen.url());
  assert.equal(res.headers()["cache-control"], "no-store");
  assert.equal(res.headers()["set-cookie"], undefined, "the form sets no cookie");
  // The wait message is for browsers without JavaScript: hidden here.
  assert.equal(await citizen.locator("#tip-wait").isHidden(), true);
  await noViolations(citizen, "public form");
  const unit = citizen.locator("#tip-unit");
  await unit.pressSequentially("muong phang", { delay: 20 });
  const option = citizen.locator("#tip-unit-list [role=option][data-code='03325']");
  await option.waitFor();
  await option.click();
  assert.equal(await citizen.locator("input[name=unit_pick]").inputValue(), "03325");
  await citizen.selectOption("#q_cach_lien_lac", "Điện thoại");
  await citizen.fill("#tip-id-value-0", "0912 345 678");
  const text = "Có người gọi điện xưng là công an, yêu cầu chuyển tiền vào tài khoản để xác minh.";
  await citizen.fill("#tip-text", text);
  // Six photos are too many: said at once, the choice cleared.
  const six = Array.from({ length: 6 }, (_, i) => ({ name: `anh-${i}.jpg`, mimeType: "image/jpeg", buffer: photoWithGps() }));
  await citizen.setInputFiles("#tip-attachment", six);
  assert.match(await citizen.locator("#tip-attachment-check").textContent(), /tối đa 5 ảnh/);
  assert.equal(await citizen.locator("#tip-attachment").evaluate((i) => i.files.length), 0);
  // A photo from a phone, with where it was taken in its EXIF.
  await citizen.setInputFiles("#tip-attachment", { name: "anh-chup.jpg", mimeType: "image/jpeg", buffer: photoWithGps() });
  await citizen.screenshot({ path: join(results, "tips-form.png"), fullPage: true });
  await Promise.all([citizen.waitForSelector("#tip-receipt", { timeout: 60_000 }), citizen.click("#tip-submit")]);
  assert.doesNotMatch(citizen.url(), /\d{16}/, "the receipt is never in a URL");
  const receipt = await citizen.locator("#tip-receipt").getAttribute("data-receipt");
  assert.match(receipt, /^\d{16}$/);
  assert.match(await citizen.locator("main").textContent(), /Mã này chỉ hiện một lần và không thể lấy lại/);
  assert.equal(await citizen.locator("#tip-copy").isVisible(), true);
  await noViolations(citizen, "receipt page");
  await citizen.screenshot({ path: join(results, "tips-receipt.png"), fullPage: true });

  // The commune police officer: the inbox, the tip, a question.
  const officer = await officerLogin();
  await officer.goto(base + "/tin-bao/quan-ly");
  await noViolations(officer, "inbox");
  const row = officer.locator("#inbox-table tbody tr").first();
  assert.match(await row.textContent(), /Lừa đảo trên không gian mạng/);
  assert.match(await row.textContent(), /Mường Phăng/);
  assert.match(await row.textContent(), /Mới/);
  await Promise.all([officer.waitForURL(/\/tin-bao\/quan-ly\/\d+$/), row.locator("a.tip-link").click()]);
  assert.equal(await officer.locator("#tip-text-shown").textContent(), text);
  assert.match(await officer.locator(".tip-content").textContent(), /Số điện thoại\s*0912345678/);
  assert.match(await officer.locator("#tip-readings").textContent(), /ca\.muongphang|Công an/);
  await noViolations(officer, "tip page");
  // The photo: listed, opened by the officer, without its position.
  const picture = officer.locator("#tip-pictures a");
  assert.equal(await picture.count(), 1);
  assert.match(await officer.locator("#tip-pictures").textContent(), /gửi kèm tin báo/);
  const got = await officer.request.get(new URL(await picture.getAttribute("href"), base).href);
  assert.equal(got.status(), 200);
  assert.equal(got.headers()["content-type"], "image/jpeg");
  const bytes = await got.body();
  assert.equal(bytes[0], 0xff);
  assert.equal(bytes.includes("GPSLatitude"), false, "the position is gone");
  const tipUrl = officer.url();
  await officer.selectOption("#tip-write-kind", "question");
  const question = "Bạn còn nhớ số tài khoản mà đối tượng yêu cầu chuyển tiền không?";
  await officer.fill("#tip-write-text", question);
  await Promise.all([officer.waitForURL(tipUrl), officer.click("#tip-write-submit")]);
  assert.match(await officer.locator(".flash.ok").textContent(), /Đã gửi câu hỏi/);
  assert.match(await officer.locator("#tip-messages").textContent(), /Câu hỏi cho người báo tin/);
  await officer.screenshot({ path: join(results, "tips-officer.png"), fullPage: true });

  // The citizen comes back with the receipt.
  await citizen.goto(base + "/tin-bao/theo-doi");
  await citizen.fill("#follow-receipt", receipt);
  await Promise.all([citizen.waitForURL(base + "/tin-bao/trao-doi", { timeout: 60_000 }), citizen.click("#follow-submit")]);
  const cookies = await citizenCtx.cookies();
  assert.deepEqual(cookies.map((c) => c.name), ["antq_tip"], "only the receipt session's cookie");
  assert.match(await citizen.locator("#tip-messages").textContent(), new RegExp(question));
  assert.match(await citizen.locator("#tip-messages").textContent(), /Câu hỏi của cán bộ/);
  await noViolations(citizen, "tipster page");
  const answer = "Số tài khoản là 0123456789 tại Vietcombank, tên chủ tài khoản Nguyễn Văn A.";
  await citizen.fill("#tipster-text", answer);
  await Promise.all([citizen.waitForURL(/\/tin-bao\/trao-doi\?da-gui=1$/), citizen.click("#tipster-submit")]);
  assert.match(await citizen.locator("#tip-messages").textContent(), /Bạn đã gửi/);
  await citizen.screenshot({ path: join(results, "tips-tipster.png"), fullPage: true });
  await Promise.all([citizen.waitForURL(/\/tin-bao\?da-thoat=1$/), citizen.click("#tipster-leave")]);
  await citizen.goto(base + "/tin-bao/trao-doi");
  assert.match(await citizen.locator("#follow-error").textContent(), /Phiên theo dõi tin báo đã hết/);

  // The officer reads the answer.
  await officer.goto(tipUrl);
  assert.match(await officer.locator("#tip-messages").textContent(), /Người báo tin gửi/);
  assert.match(await officer.locator("#tip-messages").textContent(), /Vietcombank/);

  // The scam phone number as a cluster, masked; the officer's key page.
  await officer.goto(base + "/tin-bao/cum");
  const cluster = await officer.locator("#clusters-table tbody").textContent();
  assert.match(cluster, /Số điện thoại/);
  assert.doesNotMatch(cluster, /0912345678/, "masked");
  await noViolations(officer, "clusters");
  await officer.goto(base + "/tin-bao/khoa");
  assert.match(await officer.locator("#key-status").textContent(), /Khóa đang mở trong phiên đăng nhập này/);
  await Promise.all([officer.waitForLoadState("load"), officer.click("#key-new-recovery button")]);
  await officer.locator("#key-recovery-code").waitFor();
  assert.match(await officer.locator("main").textContent(), /Mã này chỉ hiện một lần và không thể lấy lại/);
  await noViolations(officer, "key page");
  await citizenCtx.close();
  await officer.close();
});

test("without JavaScript the form asks to wait, and keeps what was typed", async () => {
  const { base, browser } = env;
  const ctx = await browser.newContext({ ...phone, javaScriptEnabled: false });
  const page = await ctx.newPage();
  await page.goto(base + "/tin-bao/gui?loai=lua_dao_mang");
  const wait = await page.locator("#tip-wait").textContent();
  assert.match(wait, /Nếu trình duyệt tắt JavaScript, xin chờ khoảng \d+ giây trước khi bấm Gửi/);
  await page.fill("#tip-unit", "Xã Mường Phăng");
  await page.selectOption("#q_cach_lien_lac", "Tin nhắn");
  const text = "Tin nhắn báo trúng thưởng, yêu cầu nộp phí nhận quà.";
  await page.fill("#tip-text", text);
  await Promise.all([page.waitForLoadState("load"), page.click("#tip-submit")]);
  await page.locator("#tip-error").waitFor();
  assert.match(await page.locator("#tip-error").textContent(), /Xin chờ thêm \d+ giây/);
  assert.equal(await page.locator("#tip-text").inputValue(), text);
  assert.equal(await page.locator("#q_cach_lien_lac").inputValue(), "Tin nhắn");
  assert.equal(await page.locator("input[name=unit_pick]").inputValue(), "03325");
  await ctx.close();
});
