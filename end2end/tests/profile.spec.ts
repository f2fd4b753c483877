import { expect, test } from "@playwright/test";
import { deflateSync, crc32 } from "node:zlib";
import { jsOn, open, screenshot, signIn, signOut, watch } from "./helpers";

/** A `w`×`h` RGB PNG with a diagonal gradient (made here: no fixture file to keep). */
function png(w: number, h: number, tint: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const rows = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const o = y * (w * 3 + 1) + 1 + x * 3;
      rows[o] = (x * 255) / w;
      rows[o + 1] = tint;
      rows[o + 2] = (y * 255) / h;
    }
  }
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([sig, chunk("IHDR", ihdr), chunk("IDAT", deflateSync(rows)), chunk("IEND", Buffer.alloc(0))]);
}

/** A tint for this run's photo that cannot equal the one saved by the other project's run just
 * before (even with JavaScript, odd without): a photo equal to the saved one is not "pending". */
function photoTint(info: { project: { name: string } }): number {
  return (Math.floor(Date.now() / 1000) % 64) * 4 + (info.project.name === "ssr" ? 2 : 0);
}

// An editor fixes an invalid business profile by following the field errors, sees the
// preview, saves, and finds the version in the history.
test("an editor fixes and saves a business profile", async ({ page }, info) => {
  const problems = watch(page);
  await signIn(page, info, "editor@acme.example", "demo-password-2026");
  await open(page, info, "/");
  await page.getByTestId("phone-numbers").getByRole("link", { name: "Profile" }).first().click();
  await expect(page.getByRole("heading", { name: /Business profile/ })).toBeVisible();
  // A photo first (the upload is its own form): a GIF renamed .png is refused by its content,
  // then a landscape PNG is kept, cropped square, and shown in the preview.
  const photo = page.getByTestId("photo-section");
  await photo.getByLabel("Profile photo").setInputFiles({ name: "logo.png", mimeType: "image/png", buffer: Buffer.from("GIF89a\x01\x00\x01\x00\x80\x00\x00", "latin1") });
  await photo.getByRole("button", { name: "Upload photo" }).click();
  await expect(page.getByTestId("photo-error")).toHaveText("Profile photo: must be a JPEG or PNG image (this file is GIF)");
  await photo.getByLabel("Profile photo").setInputFiles({ name: "shop-front.png", mimeType: "image/png", buffer: png(900, 600, photoTint(info)) });
  await photo.getByRole("button", { name: "Upload photo" }).click();
  await expect(page.getByTestId("photo-pending")).toBeVisible();
  await expect(page.getByTestId("photo-error")).toHaveText("");
  await expect(page.getByTestId("preview-photo")).toBeVisible();
  // The upload was a page load: with JavaScript, wait for the app again before typing.
  if (jsOn(info)) await expect(page.locator("body[data-hydrated=true]")).toBeAttached();
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
  await expect(page.getByTestId("profile-history")).toContainText("photo");
  await expect(page.getByTestId("profile-preview")).toContainText(fixed);
  await expect(page.getByTestId("preview-photo")).toBeVisible();
  await expect(page.getByTestId("preview-hours")).toContainText("Monday09:00-18:00");
  await expect(page.getByTestId("photo-pending")).toHaveCount(0);
  await screenshot(page, info, "profile");
  // The refused save is logged by Chromium as a 422 load: expected.
  if (jsOn(info)) expect(problems.filter((p) => !/status of 4\d\d/.test(p))).toEqual([]);
});

// A tenant editor asks for the verified badge; a BSP admin rejects it with a reason, which the
// editor reads; the staff overview lists the number among the profiles needing attention.
test("a badge request is submitted, rejected with a reason, and profiles needing attention are listed", async ({ page }, info) => {
  const problems = watch(page);
  await signIn(page, info, "editor@acme.example", "demo-password-2026");
  await open(page, info, "/");
  await page.getByTestId("phone-numbers").getByRole("link", { name: "Profile" }).last().click();
  const card = page.getByTestId("oba-card");
  // The JS-off run finds the JS-on run's request rejected: it starts a new one the same way.
  const form = card.getByTestId("oba-form");
  await form.getByLabel("Link 1").fill("news.example/acme");
  await form.getByRole("button", { name: "Save draft" }).click();
  await expect(form.getByText("Link 1: must start with http:// or https://")).toBeVisible();
  const link = `https://news.example/acme-${info.project.name}-${Date.now()}`;
  await form.getByLabel("Link 1").fill(link);
  await form.getByRole("button", { name: "Save draft" }).click();
  await expect(card.getByTestId("oba-status")).toHaveText("Draft");
  await card.getByRole("button", { name: "Submit to the BSP" }).click();
  await expect(card.getByTestId("oba-status")).toHaveText("Submitted");
  await expect(card.getByText(link)).toBeVisible();
  const profileUrl = page.url();
  await signOut(page);

  await signIn(page, info, "admin@bsp.example", "demo-password-2026");
  await open(page, info, new URL(profileUrl).pathname);
  await card.getByLabel("Reason").fill("The links are press releases, not independent articles");
  await card.getByRole("button", { name: "Mark rejected" }).click();
  await expect(card.getByTestId("oba-status")).toHaveText("Rejected");
  await open(page, info, "/profiles?filter=attention");
  await expect(page.getByTestId("profiles")).toContainText("Acme");
  await expect(page.getByTestId("attention-tabs")).toContainText("Photo missing");
  await screenshot(page, info, "profiles-overview");
  await signOut(page);

  await signIn(page, info, "editor@acme.example", "demo-password-2026");
  await open(page, info, new URL(profileUrl).pathname);
  await expect(card.getByTestId("oba-reason")).toContainText("press releases");
  // After a rejection the tenant may write a new request.
  await expect(card.getByTestId("oba-form")).toBeVisible();
  await screenshot(page, info, "badge-request");
  if (jsOn(info)) expect(problems.filter((p) => !/status of 4\d\d/.test(p))).toEqual([]);
});
