import { expect, test } from "@playwright/test";
import { ADMIN, DEMO_PASSWORD, inviteLink, jsOn, open, screenshot, signIn, signOut, waitForMail, watch } from "./helpers";

// An admin invites a reviewer; the reviewer joins from the email and sees the tenant list but
// not the staff page.
test("an admin invites a reviewer who joins the staff", async ({ page }, info) => {
  const problems = watch(page);
  const email = `rev-${info.project.name}-${Date.now()}@bsp.example`;
  await signIn(page, info, ADMIN, DEMO_PASSWORD);
  await page.getByRole("link", { name: "Staff" }).click();
  await expect(page.getByRole("heading", { name: "Staff", exact: true })).toBeVisible();
  const form = page.getByTestId("invite-staff");
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Role").selectOption("reviewer");
  await form.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByTestId("staff-invitations")).toContainText(email);
  await screenshot(page, info, "staff");
  await signOut(page);

  const link = inviteLink(await waitForMail(email));
  await open(page, info, new URL(link).pathname);
  await expect(page.getByTestId("invite-text")).toContainText("as Reviewer");
  await page.getByLabel("Your name").fill("Rex Reviewer");
  await page.getByLabel("Password", { exact: true }).fill("reviewing all day long");
  await page.getByLabel("Confirm password").fill("reviewing all day long");
  await page.getByRole("button", { name: "Join" }).click();
  await expect(page.getByTestId("whoami")).toHaveText(email);
  await expect(page.getByRole("heading", { name: "Tenants" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Staff" })).toHaveCount(0);
  const staff = await page.goto("/admin/staff");
  expect(staff?.status()).toBe(403);
  // The 403 page itself is logged by Chromium as a failed load: expected here.
  if (jsOn(info)) expect(problems.filter((p) => !p.includes("status of 403"))).toEqual([]);
});
