import { expect, Page, TestInfo } from "@playwright/test";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

export const DEMO_PASSWORD = "demo-password-2026";
export const ADMIN = "admin@bsp.example";

export const jsOn = (info: TestInfo) => info.project.name === "hydrate";

/** Records page errors and failed requests; the JS run asserts there are none. */
export function watch(page: Page) {
  const problems: string[] = [];
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console: ${m.text()}`);
  });
  page.on("requestfailed", (r) => {
    // A navigation cancels the previous page's loads (ERR_ABORTED): not a failure of the app.
    if (r.failure()?.errorText !== "net::ERR_ABORTED") problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`);
  });
  return problems;
}

/** Opens a page; with JavaScript, waits until the app has hydrated. */
export async function open(page: Page, info: TestInfo, url: string) {
  await page.goto(url);
  if (jsOn(info)) {
    await expect(page.locator("body[data-hydrated=true]")).toBeAttached();
    await page.evaluate(() => ((window as any).__noReload = true));
  }
}

/** With JavaScript, a form submit must not reload the page. */
export async function expectNoReload(page: Page, info: TestInfo) {
  if (jsOn(info)) {
    expect(await page.evaluate(() => (window as any).__noReload === true)).toBe(true);
  }
}

export async function signIn(page: Page, info: TestInfo, email: string, password: string) {
  await open(page, info, "/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("whoami")).toHaveText(email);
}

export async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Sign in to BSP Console" })).toBeVisible();
}

/** Waits for an email to `to` in the SMTP sink's maildir and returns its raw text. */
export async function waitForMail(to: string, timeoutMs = 20_000, about?: string): Promise<string> {
  const dir = process.env.MAILDIR;
  if (!dir) throw new Error("MAILDIR is not set: the SMTP sink is required");
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const sub of ["new", "cur"]) {
      const d = path.join(dir, sub);
      if (!fs.existsSync(d)) continue;
      for (const f of fs.readdirSync(d)) {
        const text = fs.readFileSync(path.join(d, f), "utf8");
        const flat = text.replace(/=\r?\n/g, "");
        if (text.split(/\r?\n/).some((l) => /^to:/i.test(l) && l.includes(to)) && (!about || flat.includes(about))) return text;
      }
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no email to ${to} within ${timeoutMs} ms`);
}

/** Waits until exactly `count` emails to `to` mention `about`, and returns them. */
export async function waitForMails(to: string, about: string, count: number, timeoutMs = 20_000): Promise<string[]> {
  const dir = process.env.MAILDIR;
  if (!dir) throw new Error("MAILDIR is not set: the SMTP sink is required");
  const deadline = Date.now() + timeoutMs;
  let found: string[] = [];
  while (Date.now() < deadline) {
    found = [];
    for (const sub of ["new", "cur"]) {
      const d = path.join(dir, sub);
      if (!fs.existsSync(d)) continue;
      for (const f of fs.readdirSync(d)) {
        const text = fs.readFileSync(path.join(d, f), "utf8");
        if (text.split(/\r?\n/).some((l) => /^to:/i.test(l) && l.includes(to)) && text.replace(/=\r?\n/g, "").includes(about)) found.push(text);
      }
    }
    if (found.length >= count) return found;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${found.length} of ${count} emails to ${to} about ${about} within ${timeoutMs} ms`);
}

/** The invitation link in a raw email (quoted-printable soft breaks undone). */
export function inviteLink(raw: string): string {
  const flat = raw.replace(/=\r?\n/g, "").replace(/=3D/g, "=");
  const m = flat.match(/https?:\/\/[^\s"<>]+\/invite\/[0-9a-f]{64}/);
  if (!m) throw new Error("no invitation link in the email");
  return m[0];
}

/** The code an authenticator app shows for a base32 secret at `at` (RFC 6238: SHA-1, 30 s, 6 digits). */
export function totp(secretB32: string, at = Date.now()): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const c of secretB32.replace(/[=\s]/g, "").toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, "0");
  const key = Buffer.alloc(Math.floor(bits.length / 8));
  for (let i = 0; i < key.length; i++) key[i] = parseInt(bits.slice(i * 8, i * 8 + 8), 2);
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const h = crypto.createHmac("sha1", key).update(counter).digest();
  const o = h[h.length - 1] & 0xf;
  const n = ((h[o] & 0x7f) << 24) | (h[o + 1] << 16) | (h[o + 2] << 8) | h[o + 3];
  return String(n % 1_000_000).padStart(6, "0");
}

/** The password reset link in a raw email. */
export function resetLink(raw: string): string {
  const flat = raw.replace(/=\r?\n/g, "").replace(/=3D/g, "=");
  const m = flat.match(/https?:\/\/[^\s"<>]+\/reset-password\/[0-9a-f]{64}/);
  if (!m) throw new Error("no reset link in the email");
  return m[0];
}

export async function screenshot(page: Page, info: TestInfo, name: string) {
  if (!jsOn(info)) return;
  const dir = path.join(__dirname, "..", "..", "docs", "screenshots");
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: false });
}
