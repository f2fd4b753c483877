import { expect, test } from "@playwright/test";
import { open, signIn, watch, jsOn } from "./helpers";

// A tenant user switches the console to French; the choice sticks across pages and sign-ins.
test("a user switches the console to French", async ({ page }, info) => {
  const problems = watch(page);
  await signIn(page, info, "editor@acme.example", "demo-password-2026");
  await page.getByLabel("Language").selectOption("fr");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("button", { name: "Se déconnecter" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Numéros de téléphone" })).toBeVisible();
  await open(page, info, "/");
  await expect(page.getByRole("link", { name: "Vue d’ensemble" })).toBeVisible();
  // Back to English for the other tests using this account.
  await page.getByLabel("Langue").selectOption("en");
  await page.getByRole("button", { name: "Enregistrer" }).click();
  await expect(page.getByRole("button", { name: "Sign out", exact: true })).toBeVisible();
  if (jsOn(info)) expect(problems).toEqual([]);
});
