// A person logs in and finds a commune through the unit search, in Debian's
// headless Chromium, against the real antq binary on a fresh database.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const bin = process.env.ANTQ_BIN ?? join(here, "..", "..", "target", "debug", "antq");
const chromiumPath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const password = "mật-khẩu-kiểm-thử-e2e";
const results = join(here, "..", "test-results");

let server;
let base;
let browser;
let dataDir;

function startServer() {
  dataDir = mkdtempSync(join(tmpdir(), "antq-e2e-"));
  const env = {
    ...process.env,
    ANTQ__DATABASE_URL: process.env.ANTQ_TEST_DATABASE_URL_E2E ?? `sqlite://${join(dataDir, "antq.db")}`,
    ANTQ__DEMO_PASSWORD: password,
    ANTQ_LOG: "warn",
  };
  server = spawn(bin, ["serve", "--demo", "--addr", "127.0.0.1:0"], { env, stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`antq did not start: ${out}`)), 120_000);
    server.stdout.on("data", (chunk) => {
      out += chunk.toString();
      const m = out.match(/http:\/\/(127\.0\.0\.1:\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve(`http://${m[1]}`);
      }
    });
    server.on("exit", (code) => reject(new Error(`antq exited with ${code}: ${out}`)));
  });
}

before(async () => {
  mkdirSync(results, { recursive: true });
  base = await startServer();
  browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
});

after(async () => {
  await browser?.close();
  server?.kill("SIGTERM");
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test("a commune officer logs in and finds a commune by typing without accents", async () => {
  const page = await browser.newPage();
  await page.goto(`${base}/dang-nhap`);
  assert.equal(await page.locator("h1").textContent(), "Đăng nhập");
  await page.fill("#username", "ca.muongphang");
  await page.fill("#password", password);
  await Promise.all([page.waitForURL(`${base}/`), page.click("button[type=submit].primary")]);
  const welcome = await page.locator("h1").textContent();
  assert.match(welcome, /Xin chào, Công an xã Mường Phăng/);
  assert.match(await page.locator("table").textContent(), /Xã Mường Phăng/);

  await page.goto(`${base}/don-vi`);
  // htmx swaps the results in while the person types.
  await page.fill("#unit-search", "muong phang");
  const hit = page.locator("#results a", { hasText: "Xã Mường Phăng" });
  await hit.waitFor({ timeout: 15_000 });
  assert.equal(page.url(), `${base}/don-vi`, "the list updated without a page load");
  await page.screenshot({ path: join(results, "unit-search.png"), fullPage: true });
  await Promise.all([page.waitForURL(/\/don-vi\/03325/), hit.first().click()]);
  assert.equal(await page.locator("#unit-name").textContent(), "Xã Mường Phăng");
  // The officer sees their commune's areas (from the demo) and may register one.
  assert.match(await page.locator("#areas").textContent(), /Bản Phăng/);
  await page.fill("form[action='/don-vi/03325/khu-dan-cu'] input[name=name]", "Bản Kiểm Thử");
  await page.click("form[action='/don-vi/03325/khu-dan-cu'] button");
  await page.waitForSelector("text=Bản Kiểm Thử");
  assert.match(await page.locator(".flash.ok").textContent(), /Đã tạo/);
  await page.screenshot({ path: join(results, "unit-page.png"), fullPage: true });

  // Another commune: the unit is public, its areas are not.
  await page.goto(`${base}/don-vi/03127`);
  assert.equal(await page.locator("#unit-name").textContent(), "Phường Điện Biên Phủ");
  assert.equal(await page.locator("#areas").count(), 0);
  await page.close();
});

test("the search also works as a plain form, and in English", async () => {
  const page = await browser.newPage({ javaScriptEnabled: false });
  await page.goto(`${base}/don-vi?q=%C4%90I%E1%BB%86N+BI%C3%8AN&level=province`);
  assert.match(await page.locator("#results").textContent(), /Tỉnh Điện Biên/);
  await page.click("a.lang");
  assert.match(await page.locator("h1").textContent(), /Administrative units/);
  await page.close();
});
