// Starting antq on a fresh database and Debian's headless Chromium, shared by the browser tests.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const bin = process.env.ANTQ_BIN ?? join(here, "..", "..", "..", "target", "debug", "antq");
const chromiumPath = process.env.CHROMIUM ?? "/usr/bin/chromium";
export const password = "mật-khẩu-kiểm-thử-e2e";
export const results = join(here, "..", "..", "test-results");

export async function start() {
  mkdirSync(results, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), "antq-e2e-"));
  const env = {
    ...process.env,
    ANTQ__DATABASE_URL: process.env.ANTQ_TEST_DATABASE_URL_E2E ?? `sqlite://${join(dataDir, "antq.db")}`,
    ANTQ__DEMO_PASSWORD: password,
    ANTQ_LOG: "warn",
  };
  const server = spawn(bin, ["serve", "--demo", "--addr", "127.0.0.1:0"], { env, stdio: ["ignore", "pipe", "inherit"] });
  const base = await new Promise((resolve, reject) => {
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
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--lang=vi"],
  });
  return {
    base,
    browser,
    async stop() {
      await browser.close();
      server.kill("SIGTERM");
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/// A new page logged in as a demo user.
export async function login(env, username) {
  const page = await env.browser.newPage();
  await page.goto(`${env.base}/dang-nhap`);
  await page.fill("#username", username);
  await page.fill("#password", password);
  await Promise.all([page.waitForURL(`${env.base}/`), page.click("button[type=submit].primary")]);
  return page;
}
