// Starting antq on a fresh database and Debian's headless Chromium, shared by the browser tests.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const bin = process.env.ANTQ_BIN ?? join(here, "..", "..", "..", "target", "debug", "antq");
const chromiumPath = process.env.CHROMIUM ?? "/usr/bin/chromium";
export const password = "mật-khẩu-kiểm-thử-e2e";
export const results = join(here, "..", "..", "test-results");

/// A fresh PostgreSQL database for one test file, beside the one CI names in
/// `ANTQ_TEST_DATABASE_URL_E2E` (same server, its name plus a suffix), so that
/// no file sees what another one wrote; `drop()` removes it.
function freshPostgres(url) {
  const u = new URL(url);
  const name = `${u.pathname.slice(1) || "antq_e2e"}_${process.pid}_${Math.floor(Math.random() * 1e9)}`;
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const psql = (sql) => {
    const r = spawnSync("psql", [admin.toString(), "-qc", sql], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`psql ${sql}: ${r.stderr}`);
  };
  psql(`CREATE DATABASE ${name}`);
  u.pathname = `/${name}`;
  return { url: u.toString(), drop: () => psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

export async function start() {
  mkdirSync(results, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), "antq-e2e-"));
  const pg = process.env.ANTQ_TEST_DATABASE_URL_E2E ? freshPostgres(process.env.ANTQ_TEST_DATABASE_URL_E2E) : null;
  const env = {
    ...process.env,
    ANTQ__DATABASE_URL: pg ? pg.url : `sqlite://${join(dataDir, "antq.db")}`,
    // The tips secret (tips.secret) lives here too, never in the repository.
    ANTQ__DATA_DIR: dataDir,
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
      await new Promise((resolve) => (server.exitCode !== null ? resolve() : server.once("exit", resolve)));
      if (pg) pg.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/// A new page logged in as a demo user (`options`: playwright's context options, e.g. a viewport).
export async function login(env, username, options = {}) {
  const page = await env.browser.newPage(options);
  await page.goto(`${env.base}/dang-nhap`);
  await page.fill("#username", username);
  await page.fill("#password", password);
  await Promise.all([page.waitForURL(`${env.base}/`), page.click("button[type=submit].primary")]);
  return page;
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/// The critical and serious violations axe-core finds on the page (all its rules but the
/// experimental ones: WCAG 2.x A/AA and best practices), as `{ id, impact, help, targets }`. axe is evaluated through the DevTools protocol, which the
/// page's CSP does not block (an inline <script> tag would be).
export async function axe(page) {
  if (!(await page.evaluate(() => typeof window.axe === "object"))) await page.evaluate(axeSource);
  const found = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(" ")) }));
  });
  return found.filter((v) => v.impact === "critical" || v.impact === "serious");
}
