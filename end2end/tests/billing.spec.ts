import { expect, request, test } from "@playwright/test";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import { DEMO_PASSWORD, jsOn, open, screenshot, signIn, signOut, watch } from "./helpers";

// Finance imports the platform's rate card with one bad row, sees the row's error, fixes it
// and publishes; Acme's messages are delivered and rated; Acme's owner sees the usage on the
// billing page; finance sees the month on the dashboard and downloads the per-country export.
const WABA = "102290129340398"; // Acme's, in the demo data
const PHONE_ID = "106540352242922";
const HEADER = "market,currency,marketing,utility,authentication,authentication_international,service";

function signed(body: string) {
  const secret = process.env.APP_SECRET;
  if (!secret) throw new Error("APP_SECRET is not set (scripts/e2e.sh sets it)");
  return "sha256=" + crypto.createHmac("sha256", secret).update(body).digest("hex");
}

test("rate card with a bad row → fix → publish; usage on the tenant's billing page; finance export", async ({ page, baseURL }, info) => {
  const problems = watch(page);
  // Finance: the card, with a typo in France's utility rate.
  await signIn(page, info, "finance@bsp.example", DEMO_PASSWORD);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Pricing" }).click();
  await expect(page.getByRole("heading", { name: "Pricing" })).toBeVisible();
  const good = `${HEADER}\nFrance,EUR,0.0712,0.0248,0.0248,,\nGermany,EUR,0.1131,0.0456,0.0456,,\n`;
  const bad = good.replace("0.0248,0.0248", "0.02x8,0.0248");
  await page.getByLabel("Rate card (CSV)").fill(bad);
  await page.getByTestId("import-card").getByLabel("Note").fill(`e2e ${info.project.name}`);
  await page.getByRole("button", { name: "Check the file" }).click();
  const errors = page.getByTestId("row-errors");
  await expect(errors).toBeVisible();
  await expect(errors.getByRole("row").nth(1)).toContainText("2");
  await expect(errors.getByRole("row").nth(1)).toContainText("utility");
  await expect(errors.getByRole("row").nth(1)).toContainText("not a rate");
  await expect(page.getByTestId("publish-card")).toHaveCount(0);
  await screenshot(page, info, "rate-card-errors");
  // Fix in place and check again: now it can be published.
  await page.getByLabel("Rate card (CSV)").fill(good);
  await page.getByRole("button", { name: "Check again" }).click();
  await expect(page.getByTestId("card-ready")).toBeVisible();
  await expect(page.getByTestId("card-rates")).toContainText("0.0712");
  await page.getByTestId("publish-card").click();
  await expect(page.getByTestId("card-status")).toHaveText("Published");

  // The platform: one of Acme's marketing messages to a French number, sent then delivered.
  const platform = await request.newContext({ baseURL });
  const now = Math.floor(Date.now() / 1000);
  const wamid = `wamid.e2e.${info.project.name}.${Date.now()}`;
  const statuses = ["sent", "delivered"].map((status, i) => ({
    id: wamid, status, timestamp: String(now + i), recipient_id: "33698765432",
    pricing: { billable: true, pricing_model: "PMP", type: "regular", category: "marketing" },
  }));
  const body = JSON.stringify({ object: "whatsapp_business_account", entry: [{ id: WABA, changes: [{ field: "messages", value: { messaging_product: "whatsapp", metadata: { display_phone_number: "33612345678", phone_number_id: PHONE_ID }, statuses } }] }] });
  expect((await platform.post("/webhooks/whatsapp", { data: body, headers: { "content-type": "application/json", "x-hub-signature-256": signed(body) } })).status()).toBe(200);

  // Finance's dashboard shows France marketing once the statuses are processed.
  const month = new Date().toISOString().slice(0, 7);
  await expect(async () => {
    await open(page, info, `/finance/usage?month=${month}`);
    await expect(page.getByTestId("finance-usage")).toContainText("marketing", { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await expect(page.getByTestId("finance-usage")).toContainText("France");
  await screenshot(page, info, "finance-usage");
  // The export: the form downloads the CSV.
  const download = page.waitForEvent("download");
  await page.getByTestId("export").click();
  const file = await (await download).path();
  const csv = fs.readFileSync(file!, "utf8");
  const lines = csv.trim().split("\n");
  expect(lines[0]).toBe("period_start,period_end,tenant_id,tenant_name,country,market,category,pricing_type,messages,billable_messages,cost_minor,price_minor,margin_minor,currency,cost_card_version,price_list_version");
  expect(lines.some((l) => l.includes(",Acme,FR,france,marketing,regular,"))).toBeTruthy();
  await signOut(page);

  // Acme's owner: the billing page.
  await signIn(page, info, "owner@acme.example", DEMO_PASSWORD);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Billing" }).click();
  const usage = page.getByTestId("usage");
  await expect(usage).toContainText("France");
  await expect(usage).toContainText("marketing");
  await expect(page.getByTestId("usage-chart")).toBeVisible();
  await expect(page.getByTestId("total")).toContainText("EUR");
  await screenshot(page, info, "billing");
  if (jsOn(info)) expect(problems).toEqual([]);
});
