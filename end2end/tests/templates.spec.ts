import { expect, test } from "@playwright/test";
import { jsOn, screenshot, signIn, signOut, watch } from "./helpers";

// The whole review loop: an editor builds a template and fixes the pre-check's blocking
// finding, submits; a reviewer claims it and rejects it with a reason; the editor reads the
// reason, edits and resubmits; the reviewer sees what changed and approves.
test("a template goes through review, rejection, a new revision and approval", async ({ page }, info) => {
  const problems = watch(page);
  const name = `welcome_${info.project.name}_${Date.now()}`;
  await signIn(page, info, "editor@acme.example", "demo-password-2026");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Templates" }).click();
  await expect(page.getByRole("heading", { name: "Templates", exact: true })).toBeVisible();
  await page.getByRole("link", { name: "New template" }).click();
  await page.getByLabel("Name", { exact: true }).fill("Bad Name");
  // Each run's body is its own (the pre-check refuses duplicates within an account). It
  // starts with a parameter, which the platform rejects.
  const body = `{{1}}, welcome to Acme. We are glad to have you with us since ${name}.`;
  await page.getByLabel("Body", { exact: true }).fill(body);
  await page.getByLabel("Example values").fill("Ana");
  if (jsOn(info)) {
    // The same checks as the server, while typing.
    await expect(page.getByTestId("live-findings")).toContainText("param.at_start");
    await expect(page.getByTestId("preview")).toContainText("Ana, welcome to Acme.");
  }
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.locator("#f-name-error")).toHaveText("Use lowercase letters, digits and underscores only.");
  await expect(page.getByLabel("Body", { exact: true })).toHaveValue(body);
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
  await expect(page.getByTestId("findings")).toContainText("param.at_start");
  // Submitting is refused while a blocking finding remains.
  await page.getByRole("button", { name: "Submit for review" }).click();
  await expect(page.getByText(/blocking problems/)).toBeVisible();
  await page.getByRole("link", { name: "Edit", exact: true }).click();
  const fixed = `Hello {{1}}, welcome to Acme. We are glad to have you with us since ${name}.`;
  await page.getByLabel("Body", { exact: true }).fill(fixed);
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByTestId("preview")).toContainText("Hello Ana, welcome to Acme.");
  await expect(page.getByRole("heading", { name })).toBeVisible();
  await expect(page.getByTestId("findings")).toHaveCount(0);
  await screenshot(page, info, "template");
  await page.getByRole("button", { name: "Submit for review" }).click();
  await expect(page.getByText("in bsp review")).toBeVisible();
  await expect(page.getByRole("button", { name: "Submit for review" })).toHaveCount(0);
  const templateUrl = new URL(page.url()).pathname;
  await signOut(page);

  // A reviewer opens it from the queue, claims it, and rejects it with a reason.
  await signIn(page, info, "reviewer@bsp.example", "demo-password-2026");
  await page.getByRole("link", { name: "Review queue" }).click();
  await expect(page.getByTestId("shortcuts")).toContainText("Keyboard shortcuts");
  await page.getByTestId("queue-filters").getByLabel("Search").fill(name);
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByTestId("queue").getByRole("row")).toHaveCount(2);
  await screenshot(page, info, "review-queue");
  if (jsOn(info)) {
    // The keyboard: j focuses the first row, x selects it, a picks "approve" for the selection.
    await expect(page.locator("body[data-hydrated=true]")).toBeAttached();
    const box = page.getByTestId("queue").getByRole("checkbox");
    await page.keyboard.press("j");
    await page.keyboard.press("x");
    await expect(box).toBeChecked();
    await page.keyboard.press("a");
    await expect(page.locator("#f-decision")).toHaveValue("approve");
    await expect(page.locator("#bulk-submit")).toBeFocused();
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press("x");
    await expect(box).not.toBeChecked();
  }
  // A bulk rejection without a reason is refused and loses nothing: the row stays selected,
  // the decision and the note stay as chosen and typed.
  const row = page.getByTestId("queue").getByRole("checkbox");
  await row.check();
  await expect(page.getByLabel("Reason")).toBeHidden();
  await page.getByLabel("Decision for the selected rows").selectOption("reject");
  await expect(page.getByLabel("Reason")).toBeVisible();
  await page.getByLabel("Note to the tenant").fill("Bulk note kept");
  await page.getByRole("button", { name: "Apply to selected" }).click();
  await expect(page.locator("#f-reason-error")).toHaveText("This field is required.");
  // (A page that fetched its data again after the refusal would have redrawn the form by now.)
  await page.waitForLoadState("networkidle");
  await expect(row).toBeChecked();
  await expect(page.getByLabel("Decision for the selected rows")).toHaveValue("reject");
  await expect(page.getByLabel("Note to the tenant")).toHaveValue("Bulk note kept");
  expect(page.url()).not.toContain("Bulk");
  await page.getByTestId("queue").getByRole("link", { name }).click();
  // Opening claims nothing (a GET); the reviewer claims it from the page.
  await expect(page.getByTestId("claim")).toHaveCount(0);
  await page.getByRole("button", { name: "Claim" }).click();
  await expect(page.getByTestId("claim")).toContainText("You are reviewing this template until");
  const decide = page.getByTestId("decide");
  // Nothing is decided for the reviewer: no decision chosen, no reason asked yet.
  await expect(decide.getByLabel("Decision")).toHaveValue("");
  await expect(decide.getByLabel("Reason")).toBeHidden();
  await decide.getByRole("button", { name: "Record decision" }).click();
  await expect(page.locator("#f-decision-error")).toHaveText("This field is required.");
  // Reject with a note but no reason: refused, and every field comes back as it was, with
  // nothing of the form in the URL.
  const note = "Please keep utility messages free of offers.";
  await decide.getByLabel("Decision").selectOption("reject");
  await expect(decide.getByLabel("Reason")).toBeVisible();
  await decide.getByLabel("Note to the tenant").fill(note);
  await decide.getByRole("button", { name: "Record decision" }).click();
  await expect(page.locator("#f-reason-error")).toHaveText("This field is required.");
  await page.waitForLoadState("networkidle");
  await expect(decide.getByLabel("Decision")).toHaveValue("reject");
  await expect(decide.getByLabel("Note to the tenant")).toHaveValue(note);
  expect(page.url()).not.toContain("Please");
  expect(page.url()).not.toContain("__form");
  await decide.getByLabel("Reason").selectOption("PROMOTIONAL");
  await decide.getByRole("button", { name: "Record decision" }).click();
  await expect(page.getByRole("heading", { name }).getByText("bsp rejected")).toBeVisible();
  await signOut(page);

  // The editor reads why, edits it into a new revision and resubmits.
  await signIn(page, info, "editor@acme.example", "demo-password-2026");
  await page.goto(templateUrl);
  await expect(page.getByTestId("decision")).toContainText("PROMOTIONAL");
  await expect(page.getByTestId("decision")).toContainText("Please keep utility messages free of offers.");
  await page.getByRole("link", { name: "Edit", exact: true }).click();
  await expect(page.getByLabel("Body", { exact: true })).toHaveValue(fixed);
  await page.getByLabel("Body", { exact: true }).fill(`${fixed} See you soon.`);
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByText("Revision 2")).toBeVisible();
  await expect(page.getByText("draft", { exact: true })).toBeVisible();
  await expect(page.getByTestId("preview")).toContainText("See you soon.");
  await page.getByRole("button", { name: "Submit for review" }).click();
  await expect(page.getByText("in bsp review")).toBeVisible();
  await signOut(page);

  // The reviewer sees the change against the rejected revision and approves.
  await signIn(page, info, "reviewer@bsp.example", "demo-password-2026");
  await page.goto(`/review?q=${name}`);
  await page.getByTestId("queue").getByRole("link", { name }).click();
  await expect(page.getByTestId("diff")).toContainText("See you soon.");
  await expect(page.getByTestId("past-rejections")).toContainText("PROMOTIONAL");
  await screenshot(page, info, "review");
  await page.getByTestId("decide").getByLabel("Decision").selectOption("approve");
  await page.getByTestId("decide").getByRole("button", { name: "Record decision" }).click();
  await expect(page.getByRole("heading", { name }).getByText("bsp approved")).toBeVisible();
  await expect(page.getByTestId("submission")).toContainText("ready to submit");
  // Refused saves and submissions are logged by Chromium as 4xx loads: expected.
  if (jsOn(info)) expect(problems.filter((p) => !/status of 4\d\d/.test(p))).toEqual([]);
});

/** A small PNG (a flat colour): enough for a header sample. */
function samplePng(): Buffer {
  return Buffer.from(
    "iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAIAAACQkWg2AAAAFklEQVR4nGM4UaFBEmIY1TCqYfhqAAADaGgQ43GRdgAAAABJRU5ErkJggg==",
    "base64",
  );
}

// An image header needs a sample file: the editor attaches it on the template's page (a PDF
// is refused by its content, next to the field), then the template can be submitted.
test("an image header's sample file is attached from the template page", async ({ page }, info) => {
  const problems = watch(page);
  const name = `window_${info.project.name}_${Date.now()}`;
  await signIn(page, info, "editor@acme.example", "demo-password-2026");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Templates" }).click();
  await page.getByRole("link", { name: "New template" }).click();
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Category", { exact: true }).selectOption("MARKETING");
  await page.getByLabel("Header type").selectOption("IMAGE");
  await page.getByLabel("Body", { exact: true }).fill(`Hello {{1}}, the autumn collection is in our shop window this week (${name}).`);
  await page.getByLabel("Example values").fill("Ana");
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
  const card = page.getByTestId("sample-card");
  await expect(card.getByTestId("sample-state")).toContainText("No sample yet");
  await card.getByLabel("Header sample").setInputFiles({ name: "window.png", mimeType: "image/png", buffer: Buffer.from("%PDF-1.7\n%\xe2\xe3\n", "latin1") });
  await card.getByRole("button", { name: "Attach the sample" }).click();
  await expect(card.getByTestId("sample-error")).toHaveText("Sample file: this header takes a JPEG or PNG file; this file is not one.");
  await card.getByLabel("Header sample").setInputFiles({ name: "window.png", mimeType: "image/png", buffer: samplePng() });
  await card.getByRole("button", { name: "Attach the sample" }).click();
  await expect(card.getByTestId("sample-state")).toContainText("A sample file is attached (image/png");
  await expect(card.getByTestId("sample-error")).toHaveText("");
  await expect(page.getByTestId("preview-sample")).toBeVisible();
  if (jsOn(info)) await expect(page.locator("body[data-hydrated=true]")).toBeAttached();
  await page.getByRole("button", { name: "Submit for review" }).click();
  await expect(page.getByText("in bsp review")).toBeVisible();
  await screenshot(page, info, "template-sample");
  if (jsOn(info)) expect(problems.filter((p) => !/status of 4\d\d/.test(p))).toEqual([]);
});
