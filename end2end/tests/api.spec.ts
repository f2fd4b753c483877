import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, expectNoReload, jsOn, open, screenshot, signIn, watch } from "./helpers";

// A tenant owner makes an API key for their CRM, the CRM reads the tenant and its templates
// with it, and once the owner revokes it the next call is refused.
test("an owner makes an API key, the API answers with it, and a revoked key is refused", async ({ page, request }, info) => {
  const problems = watch(page);
  const name = `CRM ${info.project.name} ${Date.now()}`;
  await signIn(page, info, "owner@acme.example", DEMO_PASSWORD);
  // The owner's sidebar leads to the page.
  const href = await page.getByRole("link", { name: "API keys" }).getAttribute("href");
  expect(href).toMatch(/^\/tenants\/[0-9a-f-]{36}\/api-keys$/);
  await open(page, info, href ?? "");
  await expect(page.getByRole("heading", { name: "API keys" })).toBeVisible();

  // Without a scope the form says what is missing, next to the field.
  await page.getByLabel("Name").fill(name);
  await page.getByRole("checkbox", { name: /^Read:/ }).uncheck();
  await page.getByRole("button", { name: "Create a key" }).click();
  await expect(page.locator("#f-scopes-error")).toHaveText("This field is required.");

  await page.getByLabel("Name").fill(name);
  await page.getByRole("checkbox", { name: /^Read:/ }).check();
  await page.getByRole("button", { name: "Create a key" }).click();
  const secret = (await page.getByTestId("api-key-secret").textContent())?.trim() ?? "";
  expect(secret).toMatch(/^bspc_[0-9A-Za-z]{36}$/);
  await expectNoReload(page, info);
  const row = page.getByTestId("api-key-row").filter({ hasText: name });
  await expect(row).toContainText("Active");
  await screenshot(page, info, "api-keys");

  const auth = { Authorization: `Bearer ${secret}` };
  const tenant = await request.get("/api/v1/tenant", { headers: auth });
  expect(tenant.status()).toBe(200);
  expect((await tenant.json()).display_name).toBe("Acme");
  const templates = await request.get("/api/v1/templates?limit=5", { headers: auth });
  expect(templates.status()).toBe(200);
  expect(Array.isArray((await templates.json()).data)).toBe(true);

  // The key's use shows in the list once the page is read again.
  await page.reload();
  await expect(page.getByTestId("api-key-row").filter({ hasText: name })).toContainText("127.0.0.1");
  // The secret is not shown again.
  await expect(page.getByTestId("api-key-secret")).toHaveCount(0);

  await page.getByTestId("api-key-row").filter({ hasText: name }).getByRole("button", { name: "Revoke" }).click();
  await expect(page.getByTestId("api-key-row").filter({ hasText: name })).toContainText("Revoked");
  const refused = await request.get("/api/v1/tenant", { headers: auth });
  expect(refused.status()).toBe(401);
  expect(refused.headers()["content-type"]).toBe("application/problem+json");
  // The refused form's 422 is the only failed request.
  if (jsOn(info)) expect(problems.filter((p) => !p.includes("status of 422"))).toEqual([]);
});
