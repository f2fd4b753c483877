import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, expectNoReload, jsOn, open, screenshot, signIn, signOut, watch } from "./helpers";

// A tenant owner makes an API key for their CRM; the CRM reads the tenant, drafts and submits
// a template with it; a reviewer approves it in the console and the CRM sees it approved; once
// the owner revokes the key the next call is refused.
test("an owner makes an API key, a template goes through review by API, and a revoked key is refused", async ({ page, request }, info) => {
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
  await page.getByRole("checkbox", { name: /^Write:/ }).check();
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

  // The CRM drafts a template (a retry with the same Idempotency-Key makes no second one) and
  // submits it.
  const template = `crm_${info.project.name}_${Date.now()}`;
  const draft = {
    name: template,
    language: "en",
    category: "UTILITY",
    // Each run's text its own: a copy of another template's text is a blocking finding.
    body: `Your order {{1}} left our ${jsOn(info) ? "Bristol" : "Leeds"} warehouse today (run ${Date.now()}) and arrives tomorrow.`,
    examples: ["A-1042"],
  };
  const idem = { ...auth, "Idempotency-Key": `${template}-create` };
  const created = await request.post("/api/v1/templates", { headers: idem, data: draft });
  expect(created.status()).toBe(201);
  const id = (await created.json()).id;
  const retried = await request.post("/api/v1/templates", { headers: idem, data: draft });
  expect(retried.headers()["idempotent-replayed"]).toBe("true");
  expect((await retried.json()).id).toBe(id);
  const submitted = await request.post(`/api/v1/templates/${id}/submit`, { headers: auth });
  expect((await submitted.json()).status).toBe("IN_BSP_REVIEW");

  // A reviewer approves it in the console; the CRM sees it.
  await signOut(page);
  await signIn(page, info, "reviewer@bsp.example", DEMO_PASSWORD);
  await open(page, info, `/review?q=${template}`);
  await page.getByTestId("queue").getByRole("link", { name: template }).click();
  await page.getByRole("button", { name: "Claim" }).click();
  await expect(page.getByTestId("claim")).toContainText("You are reviewing this template until");
  await page.getByTestId("decide").getByLabel("Decision").selectOption("approve");
  await page.getByTestId("decide").getByRole("button", { name: "Record decision" }).click();
  await expect(page.getByRole("heading", { name: template }).getByText("bsp approved")).toBeVisible();
  const approved = await request.get(`/api/v1/templates/${id}`, { headers: auth });
  expect((await approved.json()).status).toBe("BSP_APPROVED");
  await signOut(page);
  await signIn(page, info, "owner@acme.example", DEMO_PASSWORD);
  await open(page, info, href ?? "");

  // The key's use shows in the list.
  await expect(page.getByTestId("api-key-row").filter({ hasText: name })).toContainText("127.0.0.1");
  // The secret is not shown again.
  await expect(page.getByTestId("api-key-secret")).toHaveCount(0);

  await page.getByTestId("api-key-row").filter({ hasText: name }).getByRole("button", { name: "Revoke" }).click();
  await expect(page.getByTestId("api-key-row").filter({ hasText: name })).toContainText("Revoked");
  const refused = await request.get("/api/v1/tenant", { headers: auth });
  expect(refused.status()).toBe(401);
  expect(refused.headers()["content-type"]).toBe("application/problem+json");
  // Refused forms are logged by Chromium as 4xx loads: expected.
  if (jsOn(info)) expect(problems.filter((p) => !/status of 4\d\d/.test(p))).toEqual([]);
});
