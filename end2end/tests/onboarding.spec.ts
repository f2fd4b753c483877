import { expect, test } from "@playwright/test";
import {
  ADMIN, DEMO_PASSWORD, expectNoReload, inviteLink, jsOn, open, screenshot, signIn, signOut, waitForMail, watch,
} from "./helpers";

// Admin onboards a tenant with a phone number and invites its owner; the owner accepts the
// emailed link, sets a password, sees only their tenant, and is refused another tenant's page.
test("staff onboard a tenant and its invited owner gets in, and only in", async ({ page, browser }, info) => {
  const problems = watch(page);
  const run = `${info.project.name}-${Date.now()}`;
  const name = `Zeta ${run}`;
  const owner = `owner-${run}@zeta.example`;
  const waba = String(Date.now()) + (jsOn(info) ? "1" : "2");
  const local = String(Math.floor(Math.random() * 400) + (jsOn(info) ? 100 : 500));

  await signIn(page, info, ADMIN, DEMO_PASSWORD);
  await expect(page.getByRole("heading", { name: "Tenants" })).toBeVisible();
  await screenshot(page, info, "tenants");

  // Create the tenant; first with a mistake, which is reported next to its field.
  await page.getByRole("link", { name: "New tenant" }).click();
  await expect(page.getByRole("heading", { name: "New tenant" })).toBeVisible();
  if (jsOn(info)) await page.evaluate(() => ((window as any).__noReload = true));
  await page.getByLabel("Legal name").fill(`${name} Ltd`);
  await page.getByLabel("Display name").fill(name);
  await page.getByLabel("Country").fill("GB");
  await page.getByLabel("Billing email").fill("billing@zeta.example");
  await page.getByLabel("Alert emails").fill("alerts@zeta.example, ops@zeta.example");
  await page.getByLabel("Billing currency").fill("GBPX");
  await page.getByLabel("WhatsApp Business Account id").fill(waba);
  await page.getByRole("button", { name: "Create tenant" }).click();
  await expect(page.locator("#f-currency-error")).toHaveText("Unknown currency code.");
  await expect(page.getByLabel("Billing currency")).toHaveAttribute("aria-invalid", "true");
  await expectNoReload(page, info);
  if (jsOn(info)) await screenshot(page, info, "new-tenant-errors");
  // Nothing typed is lost, with or without JavaScript.
  await expect(page.getByLabel("Legal name")).toHaveValue(`${name} Ltd`);
  await expect(page.getByLabel("Alert emails")).toHaveValue("alerts@zeta.example, ops@zeta.example");
  await page.getByLabel("Billing currency").fill("GBP");
  await page.getByRole("button", { name: "Create tenant" }).click();
  await expect(page.getByText("Tenant created.")).toBeVisible();
  await expect(page.getByRole("heading", { name })).toBeVisible();
  const tenantUrl = new URL(page.url()).pathname;

  // Register a phone number: a bad one first.
  const phones = page.getByTestId("phone-numbers");
  await phones.getByLabel("Phone number (E.164)").fill("06 12");
  await phones.getByLabel("Phone number id").fill(waba);
  await phones.getByLabel("Display name").fill("Zeta Support");
  await phones.getByRole("button", { name: "Add phone number" }).click();
  await expect(page.locator("#f-number-error")).toContainText("valid international number");
  await expect(phones.getByLabel("Display name")).toHaveValue("Zeta Support");
  await phones.getByLabel("Phone number (E.164)").fill(`+44 7400 123${local}`);
  await phones.getByRole("button", { name: "Add phone number" }).click();
  await expect(phones.locator("table")).toContainText(`+447400123${local}`);

  // Invite the owner.
  const users = page.getByTestId("users");
  await users.getByLabel("Email").fill(owner);
  await users.getByLabel("Role").selectOption("owner");
  await users.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByTestId("invitations")).toContainText(owner);
  await screenshot(page, info, "tenant");
  await signOut(page);

  // The owner reads the email from the SMTP sink and follows the link.
  const mail = await waitForMail(owner);
  expect(mail).toContain(`You are invited to ${name}`);
  const link = inviteLink(mail);
  await open(page, info, new URL(link).pathname);
  await expect(page.getByTestId("invite-text")).toContainText(`join ${name} as Owner`);
  await page.getByLabel("Your name").fill("Zoe Owner");
  await page.getByLabel("Password", { exact: true }).fill("short");
  await page.getByLabel("Confirm password").fill("short");
  await page.getByRole("button", { name: "Join" }).click();
  await expect(page.locator("#f-password-error")).toHaveText("At least 12 characters.");
  await expect(page.getByLabel("Your name")).toHaveValue("Zoe Owner");
  await expect(page.getByLabel("Password", { exact: true })).toHaveValue(jsOn(info) ? "short" : "");
  await page.getByLabel("Password", { exact: true }).fill("a long enough passphrase");
  await page.getByLabel("Confirm password").fill("a long enough passphrase");
  await page.getByRole("button", { name: "Join" }).click();
  await expect(page.getByText("Welcome! Your password is set.")).toBeVisible();
  await expect(page.getByTestId("whoami")).toHaveText(owner);
  expect(new URL(page.url()).pathname).toBe(tenantUrl);

  // Only their tenant: no tenant list in the navigation, 403 on it, 404 on another tenant.
  await expect(page.getByRole("link", { name: "Tenants" })).toHaveCount(0);
  const list = await page.goto("/tenants");
  expect(list?.status()).toBe(403);
  await expect(page.getByTestId("error-403")).toBeVisible();
  const other = await page.goto("/tenants/01a20000-0000-7000-8000-000000000000");
  expect(other?.status()).toBe(404);
  await expect(page.getByTestId("error-404")).toBeVisible();
  await open(page, info, tenantUrl);
  await signOut(page);

  // The link was single-use.
  const again = await page.goto(new URL(link).pathname);
  expect(again?.status()).toBe(410);

  // And the owner signs back in with the new password.
  await signIn(page, info, owner, "a long enough passphrase");
  if (jsOn(info)) expect(problems.filter((p) => !p.includes("status of 4"))).toEqual([]);
});

test("sign-in failures get one generic message", async ({ page }, info) => {
  const problems = watch(page);
  await open(page, info, "/sign-in");
  await page.getByLabel("Email").fill("nobody@bsp.example");
  await page.getByLabel("Password").fill("wrong password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("form-error")).toHaveText("Email or password is incorrect.");
  await expectNoReload(page, info);
  await screenshot(page, info, "sign-in");
  if (jsOn(info)) expect(problems.filter((p) => !p.includes("status of 401"))).toEqual([]);
});
