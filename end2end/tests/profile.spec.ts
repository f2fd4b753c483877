import { expect, test } from "@playwright/test";
import { jsOn, open, screenshot, signIn, watch } from "./helpers";

// An editor fixes an invalid business profile by following the field errors, sees the
// preview, saves, and finds the version in the history.
test("an editor fixes and saves a business profile", async ({ page }, info) => {
  const problems = watch(page);
  await signIn(page, info, "editor@acme.example", "demo-password-2026");
  await open(page, info, "/");
  await page.getByTestId("phone-numbers").getByRole("link", { name: "Profile" }).first().click();
  await expect(page.getByRole("heading", { name: /Business profile/ })).toBeVisible();
  const form = page.getByTestId("profile-form");
  const about = "🥐".repeat(140);
  await form.getByLabel("About").fill(about);
  await form.getByLabel("Website 1").fill("acme.example");
  await form.locator("#f-hours-0").fill("18:00-09:00");
  if (jsOn(info)) {
    // Checked as you type, with the same rules as the server.
    await expect(form.getByText("About: at most 139 characters (you have 140)")).toBeVisible();
  }
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form.getByText("About: at most 139 characters (you have 140)")).toBeVisible();
  await expect(form.getByText("Website 1: must start with http:// or https://")).toBeVisible();
  await expect(form.getByText(/Hours on monday: “18:00-09:00” is not a range/)).toBeVisible();
  await expect(form.getByLabel("Website 1")).toHaveValue("acme.example");
  const fixed = `Pastries and coffee ${info.project.name} ${Date.now()}`;
  await form.getByLabel("About").fill(fixed);
  await form.getByLabel("Website 1").fill("https://acme.example");
  await form.locator("#f-hours-0").fill("09:00-18:00");
  if (jsOn(info)) await expect(page.getByTestId("profile-preview")).toContainText(fixed);
  await form.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("profile-history")).toContainText(fixed);
  await expect(page.getByTestId("profile-preview")).toContainText(fixed);
  await screenshot(page, info, "profile");
  // The refused save is logged by Chromium as a 422 load: expected.
  if (jsOn(info)) expect(problems.filter((p) => !/status of 4\d\d/.test(p))).toEqual([]);
});
