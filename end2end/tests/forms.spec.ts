import { expect, Locator, Page, test } from "@playwright/test";
import { ADMIN, DEMO_PASSWORD, open, signIn } from "./helpers";

// Every form with a select, on every page that has one: choose another option in each
// select, empty the text fields so that the server refuses the form, submit, and check that
// the refused form comes back with each select as chosen (JavaScript on and off), and that
// nothing of the form went into the URL.

/** Pages with forms that have selects, as the admin reaches them. */
async function pages(page: Page): Promise<string[]> {
  await page.goto("/tenants");
  const acme = await page.getByRole("link", { name: "Acme", exact: true }).first().getAttribute("href");
  expect(acme).toBeTruthy();
  return ["/tenants/new", "/admin/staff", `${acme}`, `${acme}/edit`, `${acme}/templates/new`, `${acme}/alerts`, "/finance/pricing", "/review"];
}

/** The forms posting to a server function inside the page's content (not the frame's). */
function forms(page: Page): Locator {
  return page.locator('main form[action^="/api/"]').filter({ has: page.locator("select:not([disabled])") });
}

/** Picks another enabled option in each visible, enabled select; returns name → value. */
async function chooseOthers(form: Locator): Promise<Map<string, string>> {
  const chosen = new Map<string, string>();
  const selects = form.locator("select:not([disabled])");
  for (let i = 0; i < (await selects.count()); i++) {
    const s = selects.nth(i);
    if (!(await s.isVisible())) continue;
    const name = (await s.getAttribute("name")) ?? `#${i}`;
    const values = await s.locator("option:not([disabled])").evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    const current = await s.inputValue();
    const other = values.reverse().find((v) => v !== current && v !== "");
    if (other === undefined) continue;
    await s.selectOption(other);
    chosen.set(name, other);
  }
  return chosen;
}

const TEXTS = 'input[type="text"]:visible, input:not([type]):visible, input[type="email"]:visible, textarea:visible';

/** Empties the visible text fields (so that required ones refuse the form). */
async function emptyTexts(form: Locator) {
  const fields = form.locator(TEXTS);
  for (let i = 0; i < (await fields.count()); i++) await fields.nth(i).fill("");
}

test("every refused form with a select comes back with each select as chosen", async ({ page }, info) => {
  await signIn(page, info, ADMIN, DEMO_PASSWORD);
  let checked = 0;
  for (const url of await pages(page)) {
    await open(page, info, url);
    const n = await forms(page).count();
    for (let i = 0; i < n; i++) {
      await open(page, info, url);
      const form = forms(page).nth(i);
      // Forms of selects alone (a role, a time zone, alert preferences) would be accepted
      // and change the demo data: only forms that empty text fields can refuse are tried.
      if ((await form.locator(TEXTS).count()) === 0) continue;
      const chosen = await chooseOthers(form);
      if (chosen.size === 0) continue;
      await emptyTexts(form);
      const before = page.url();
      await form.locator('button[type="submit"]').first().click();
      // Refused: a field error or a form error is shown (a form that accepts empty text
      // fields is not what this test is about).
      const refusal = page.locator('.field-error:not(:empty), [data-testid="form-error"]');
      const refused = await refusal.first().waitFor({ timeout: 5_000 }).then(() => true, () => false);
      if (!refused) continue;
      // (A page that fetched its data again after the refusal would have redrawn the form by now.)
      await page.waitForLoadState("networkidle");
      const again = forms(page).nth(i);
      for (const [name, value] of chosen) {
        await expect(again.locator(`select[name="${name}"]`), `${url}, form ${i}, ${name}`).toHaveValue(value);
      }
      // Nothing of the form in the URL: only leptos' own error and path parameters are added.
      const added = [...new URL(page.url()).searchParams.keys()].filter((k) => !["__err", "__path"].includes(k) && !new URL(before).searchParams.has(k));
      expect(added, `${url}: form content in the URL`).toEqual([]);
      expect(new URL(page.url()).pathname).toBe(new URL(before).pathname);
      checked += 1;
      console.log(`refused and kept: ${url} form ${i} (${[...chosen.keys()].join(", ")})`);
    }
  }
  // The pages above have at least this many refusable forms with selects.
  expect(checked).toBeGreaterThanOrEqual(6);
});
