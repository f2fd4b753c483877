import { expect, request, test } from "@playwright/test";
import * as crypto from "node:crypto";
import { DEMO_PASSWORD, jsOn, screenshot, signIn, waitForMails, watch } from "./helpers";

// The platform flags, pauses and then disables an approved template: signed webhook
// deliveries arrive, the template's page shows the state, the pause countdown and what
// happens next, and the tenant's alert address gets the email.
const WABA = "102290129340398"; // Acme's, in the demo data

function signed(body: string) {
  const secret = process.env.APP_SECRET;
  if (!secret) throw new Error("APP_SECRET is not set (scripts/e2e.sh sets it)");
  return "sha256=" + crypto.createHmac("sha256", secret).update(body).digest("hex");
}

function statusEvent(name: string, event: string, time: number, extra: object = {}) {
  return JSON.stringify({
    object: "whatsapp_business_account",
    entry: [{ id: WABA, time, changes: [{ field: "message_template_status_update", value: { event, message_template_name: name, message_template_language: "en_US", reason: "NONE", ...extra } }] }],
  });
}

test("FLAGGED, PAUSED and DISABLED from the platform show on the template and reach the alert address", async ({ page, baseURL }, info) => {
  const problems = watch(page);
  const name = `flash_${info.project.name}_${Date.now()}`;
  // The tenant's editor writes and submits the template.
  await signIn(page, info, "editor@acme.example", DEMO_PASSWORD);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Templates" }).click();
  await page.getByRole("link", { name: "New template" }).click();
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Body", { exact: true }).fill(`Hello {{1}}, your order ${name} is on its way to you today.`);
  await page.getByLabel("Example values").fill("Ana");
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
  await page.getByRole("button", { name: "Submit for review" }).click();
  await expect(page.getByText("in bsp review")).toBeVisible();
  const templatePath = new URL(page.url()).pathname;
  const [, , tenant, , id] = templatePath.split("/");

  // A reviewer approves it and marks it sent to WhatsApp (no Graph API in the demo).
  const reviewer = await request.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL! } });
  expect((await reviewer.post("/api/sign_in", { form: { email: "reviewer@bsp.example", password: DEMO_PASSWORD } })).ok()).toBeTruthy();
  expect((await reviewer.post("/api/decide_template", { form: { tenant, id, revision: "1", decision: "approve", reason: "", note: "" } })).ok()).toBeTruthy();
  expect((await reviewer.post("/api/mark_template_submitted", { form: { tenant, id } })).ok()).toBeTruthy();

  // The platform: an unsigned delivery is refused, then signed ones arrive.
  const platform = await request.newContext({ baseURL });
  const now = Math.floor(Date.now() / 1000);
  const deliver = async (body: string) => {
    const r = await platform.post("/webhooks/whatsapp", { data: body, headers: { "content-type": "application/json", "x-hub-signature-256": signed(body) } });
    expect(r.status()).toBe(200);
  };
  const bogus = statusEvent(name, "DISABLED", now);
  expect((await platform.post("/webhooks/whatsapp", { data: bogus, headers: { "content-type": "application/json", "x-hub-signature-256": "sha256=00" } })).status()).toBe(401);
  await deliver(statusEvent(name, "APPROVED", now - 120));
  await deliver(statusEvent(name, "FLAGGED", now - 60));
  const platformStatus = page.getByTestId("platform-status");
  await expect(async () => {
    await page.goto(templatePath);
    await expect(platformStatus).toHaveText("flagged", { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });

  await deliver(statusEvent(name, "PAUSED", now, { other_info: { title: "FIRST_PAUSE", description: "Paused for 3 hours due to low quality." } }));
  await expect(async () => {
    await page.goto(templatePath);
    await expect(platformStatus).toHaveText("paused", { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await expect(page.getByTestId("countdown")).toContainText(/Paused until .* — 2 h 5\d min left|3 h 00 min left/);
  await expect(page.getByTestId("what-next")).toContainText("paused for 6 hours");
  await screenshot(page, info, "template-paused");

  await deliver(statusEvent(name, "DISABLED", now + 60, { disable_info: { disable_date: String(now + 60) }, other_info: { title: "DISABLED", description: "Disabled due to low quality." } }));
  await expect(async () => {
    await page.goto(templatePath);
    await expect(platformStatus).toHaveText("disabled", { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await expect(page.getByTestId("disabled-on")).toBeVisible();
  await expect(page.getByTestId("countdown")).toHaveCount(0);
  await expect(page.getByTestId("what-next")).toContainText("edit it and submit it again");

  // The tenant's alert address hears about each, once (in the tenant's language: French).
  const mails = await waitForMails("alerts@acme.example", name, 3);
  await new Promise((r) => setTimeout(r, 1_000));
  expect(await waitForMails("alerts@acme.example", name, 3)).toHaveLength(3);
  expect(mails.map((m) => m.replace(/=\r?\n/g, "")).join("\n")).toContain(`/tenants/${tenant}/templates/${id}`);
  // The tenant's alerts page lists them; the editor acknowledges one.
  await page.goto(`/tenants/${tenant}/alerts`);
  const row = page.getByTestId("alerts").getByRole("row").filter({ hasText: name }).filter({ hasText: "Template disabled" });
  await expect(row).toHaveCount(1);
  await screenshot(page, info, "alerts");
  await row.getByRole("button", { name: "Acknowledge" }).click();
  await page.goto(`/tenants/${tenant}/alerts?status=acknowledged`);
  await expect(page.getByTestId("alerts").getByRole("row").filter({ hasText: name })).toContainText("Eddie Editor");
  await page.goto(`/tenants/${tenant}/numbers`);
  await expect(page.getByTestId("numbers")).toContainText("+33");
  await screenshot(page, info, "numbers");
  if (jsOn(info)) expect(problems.filter((p) => !/status of 4\d\d/.test(p))).toEqual([]);
});
