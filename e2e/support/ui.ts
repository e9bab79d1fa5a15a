// Browser-side helpers: signed-in pages, "no reload happened" markers and screenshots.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ROOT } from './service.ts';

export const SCREENSHOTS = path.join(ROOT, 'test-results/screenshots');

export interface SignedInPage {
  context: BrowserContext;
  page: Page;
  /** Console errors and page errors seen so far (a healthy UI has none). */
  problems: string[];
}

export async function newPage(browser: Browser, { colorScheme = 'light' }: { colorScheme?: 'light' | 'dark' } = {}): Promise<SignedInPage> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme, locale: 'en-KE', timezoneId: 'Africa/Nairobi' });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return { context, page, problems };
}

export async function signIn(page: Page, baseUrl: string, username: string, password: string, { screenshot }: { screenshot?: string } = {}): Promise<void> {
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByTestId('sign-in-username').waitFor();
  // The service mode line proves /health answered before the user signs in.
  await page.getByTestId('service-mode').filter({ hasText: /mode/ }).waitFor();
  if (screenshot) await shoot(page, screenshot);
  await page.getByTestId('sign-in-username').fill(username);
  await page.getByTestId('sign-in-password').fill(password);
  await page.getByTestId('sign-in-submit').click();
  await page.getByTestId('main-nav').waitFor();
}

export async function openSignedIn(
  browser: Browser,
  baseUrl: string,
  username: string,
  password: string,
  options: { colorScheme?: 'light' | 'dark'; screenshot?: string } = {},
): Promise<SignedInPage> {
  const opened = await newPage(browser, options);
  await signIn(opened.page, baseUrl, username, password, options);
  return opened;
}

/** Plants a marker in the page's JS world; if the page reloads, the marker is gone. */
export async function markNoReload(page: Page): Promise<void> {
  await page.evaluate(() => {
    (window as unknown as { __wekezaE2eMarker?: boolean }).__wekezaE2eMarker = true;
  });
}

export async function stillSamePage(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as unknown as { __wekezaE2eMarker?: boolean }).__wekezaE2eMarker === true);
}

export async function shoot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  // Let transitions and chart animations settle so the picture is what a person would see.
  await page.waitForTimeout(700);
  await page.screenshot({ path: path.join(SCREENSHOTS, name) });
}

/** The screen sizes every screenshot is taken at: a common laptop and a full-HD monitor. */
export const SIZES = [
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
] as const;

/**
 * Screenshots `name` at each of SIZES (`<name>-<w>x<h>.png`), then leaves the page at `leaveAt`
 * (the laptop size unless told; null keeps the last size).
 */
export async function shootSizes(page: Page, name: string, leaveAt: { width: number; height: number } | null = SIZES[0]): Promise<void> {
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await shoot(page, `${name}-${size.width}x${size.height}.png`);
  }
  if (leaveAt) await page.setViewportSize(leaveAt);
}

/** Decides the open case in the UI, as an analyst would: button, reason code, note, confirm. */
export async function decideInUi(page: Page, action: 'approve' | 'block' | 'escalate', reasonCode: string, note: string): Promise<void> {
  await page.getByTestId(`decide-${action}`).click();
  await page.getByTestId('decision-dialog').waitFor();
  await page.getByTestId('decision-reason').click();
  await page.locator(`[role="option"][data-value="${reasonCode}"]`).click();
  await page.getByTestId('decision-note').fill(note);
  await page.getByTestId('decision-confirm').click();
}
