// Browser-side helpers for the workstation screens (issue 12): the top bar's hub connection and
// pending count, case actions as a person takes them, and screenshots in one folder per story.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { SCREENSHOTS, shoot } from './ui.ts';

export const LAPTOP = { width: 1366, height: 768 } as const;
export const DESKTOP = { width: 1920, height: 1080 } as const;

/** The top bar's sync indicator in a given state ('online', 'offline', 'syncing', …). */
export function syncIndicator(page: Page, state?: string) {
  return page.locator(state ? `[data-testid="sync-status"][data-state="${state}"]` : '[data-testid="sync-status"]');
}

export async function waitForSyncState(page: Page, state: string, timeout: number): Promise<void> {
  await syncIndicator(page, state).waitFor({ timeout });
}

/** Waits until the top bar counts exactly `count` changes waiting for the hub. */
export async function waitForPending(page: Page, count: number, timeout: number): Promise<void> {
  await page.locator(`[data-testid="sync-status"][data-pending="${count}"]`).waitFor({ timeout });
}

/** Screenshots into test-results/screenshots/<folder>/, at 1366×768 and optionally also at 1920×1080. */
export function screenshotsIn(folder: string) {
  fs.mkdirSync(path.join(SCREENSHOTS, folder), { recursive: true });
  return async (page: Page, name: string, { desktopToo = false }: { desktopToo?: boolean } = {}): Promise<void> => {
    await page.setViewportSize(LAPTOP);
    await shoot(page, path.join(folder, `${name}-1366x768.png`));
    if (!desktopToo) return;
    await page.setViewportSize(DESKTOP);
    await shoot(page, path.join(folder, `${name}-1920x1080.png`));
    await page.setViewportSize(LAPTOP);
  };
}

/** Opens a case from the address bar (as from a link) and waits for its detail screen. */
export async function openCase(page: Page, baseUrl: string, caseId: string): Promise<void> {
  await page.goto(`${baseUrl}/cases/${caseId}`);
  await page.getByTestId('case-detail').waitFor();
}

/** Writes a comment on the open case and waits until it is listed. */
export async function commentInUi(page: Page, body: string): Promise<void> {
  await page.getByTestId('comment-input').fill(body);
  await page.getByTestId('comment-submit').click();
  await page.getByTestId('comment-body').filter({ hasText: body }).waitFor();
}

/** Requests information on the open case: button, note, submit; waits for Pending info. */
export async function requestInfoInUi(page: Page, note: string): Promise<void> {
  await page.getByTestId('action-request-info').click();
  await page.getByTestId('request-info-dialog').waitFor();
  await page.getByTestId('request-info-note').fill(note);
  await page.getByTestId('request-info-submit').click();
  await page.locator('[data-testid="case-detail"][data-case-state="PENDING_INFO"]').waitFor();
}
