import { defineConfig } from "@playwright/test";

// Debian's Chromium (no browser download). Each journey runs twice: with JavaScript
// (the hydrated app) and without (server-rendered HTML and plain form posts).
const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
};

export default defineConfig({
  testDir: "./tests",
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: {
    baseURL: process.env.BASE_URL ?? "http://127.0.0.1:3000",
    launchOptions: chromium,
    viewport: { width: 1280, height: 800 },
    locale: "en-GB",
  },
  projects: [
    { name: "hydrate", use: { javaScriptEnabled: true } },
    { name: "ssr", use: { javaScriptEnabled: false } },
  ],
});
