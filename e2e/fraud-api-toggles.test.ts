// End to end, against the real service and Chromium: the risk manager schedules a window in
// which the bank's fraud engine is switched off for M-PESA payments, then checks the status
// before, inside and after it in the Status check panel, and the service agrees. The Schedule
// dialog preselects nothing dangerous (issue 11 §4): on/off and the fallback start unchosen, the
// effect is spelled out, "approve without assessment" needs a tick, and typing a date digit by
// digit (the year passes through 0002) never crashes the screen.
// Run with `node --import tsx --test e2e/fraud-api-toggles.test.ts`.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { call, login } from './support/api.ts';
import { useDemoSession } from './support/demo-session.ts';
import { openSignedIn, shoot, shootSizes } from './support/ui.ts';
import type { ToggleConfiguration, ToggleResolution } from '../shared/src/toggles.ts';

const REASON = 'M-PESA API maintenance window (CHG-3107)';
const HOUR = 3_600_000;

/** The digits the EAT date-time field takes, in order: DDMMYYYYHHmm in Nairobi time (UTC+3). */
function eatDigits(instant: number): string {
  const d = new Date(instant + 3 * HOUR);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getUTCDate())}${two(d.getUTCMonth() + 1)}${d.getUTCFullYear()}${two(d.getUTCHours())}${two(d.getUTCMinutes())}`;
}

async function typeInstant(page: Page, testId: string, instant: number): Promise<void> {
  await page.getByTestId(`${testId}-field`).getByRole('spinbutton').first().click();
  await page.keyboard.type(eatDigits(instant));
}

describe('fraud API toggles end to end', { timeout: 30 * 60_000 }, () => {
  const session = useDemoSession();

  test('schedule a disable window, then check the status before, inside and after it', async () => {
    const { service, browser, pages } = session;
    const url = service.url;
    const manager = await openSignedIn(browser, url, 'faith.wambui', service.demoPassword);
    pages.push(manager);
    const { page } = manager;

    await page.getByTestId('nav-fraud-api-toggles').click();
    await page.getByTestId('toggle-row').first().waitFor();
    await shoot(page, 'toggles-configurations.png');

    // A window two days ahead, 01:00–03:00 Nairobi time, on whole minutes.
    const start = Math.ceil((Date.now() + 2 * 24 * HOUR) / (24 * HOUR)) * 24 * HOUR - 2 * HOUR;
    const end = start + 2 * HOUR;
    await page.getByTestId('toggle-schedule').click();
    await page.getByTestId('toggle-form').waitFor();
    await page.getByTestId('toggle-tenant').fill('WEKEZA-KE');
    await page.getByTestId('toggle-payment-type').fill('MOBILE_MONEY');
    await page.getByTestId('toggle-clearing-system').fill('MPESA');
    assert.equal(await page.getByTestId('toggle-state').getAttribute('data-value'), '', 'neither on nor off is preselected');
    assert.equal(await page.getByTestId('toggle-behaviour').count(), 0, 'no fallback before "off" is chosen');
    assert.match(await page.getByTestId('toggle-effect').innerText(), /Choose whether the engine is on or off/);
    await page.getByTestId('toggle-save').click();
    await page.getByText('Choose whether the bank’s fraud engine is on or off').waitFor();
    await page.getByTestId('toggle-state-off').check();
    assert.equal(await page.getByTestId('toggle-behaviour').getAttribute('data-value'), '', 'no fallback is preselected');
    assert.equal(await page.getByTestId('toggle-behaviour-APPROVE').isChecked(), false);
    assert.equal(await page.getByTestId('toggle-behaviour-LOCAL_RULES_ONLY').isChecked(), false);
    await page.getByText('Choose what happens to payments while the engine is off').waitFor();
    await page.getByTestId('toggle-disabled-reason').fill(REASON);

    // Half a date (the year typed as far as "2"), then the whole of it: a field error, no crash.
    await page.getByTestId('toggle-from-field').getByRole('spinbutton').first().click();
    await page.keyboard.type('06122');
    await page.waitForTimeout(300);
    assert.equal(await page.getByTestId('route-error').count(), 0, 'the screen did not crash');
    assert.equal(await page.getByTestId('toggle-form').count(), 1, 'the form is still there');
    await page
      .getByTestId('toggle-from-field')
      .getByText(/Enter a complete date and time \(DD\/MM\/YYYY HH:mm, EAT\)/)
      .waitFor();
    await shoot(page, 'toggles-schedule-half-typed.png');
    await typeInstant(page, 'toggle-from', start);
    await typeInstant(page, 'toggle-until', end);

    // The most dangerous fallback: spelled out, and saved only with an explicit tick.
    await page.getByTestId('toggle-behaviour-APPROVE').check();
    const effect = await page.getByTestId('toggle-effect').innerText();
    assert.match(effect, /the bank’s fraud engine will not be called; payments will be APPROVED WITHOUT ASSESSMENT/);
    assert.match(effect, /From \d{2} \w{3,4} \d{4}, 01:00 EAT until \d{2} \w{3,4} \d{4}, 03:00 EAT, for WEKEZA-KE payments of type MOBILE_MONEY through MPESA/);
    assert.equal(await page.getByTestId('toggle-effect').getAttribute('data-dangerous'), 'true');
    await shootSizes(page, 'toggles-schedule-form', { width: 1440, height: 900 });
    // Errors are already shown (Schedule was pressed once): the tick is asked for and saving waits for it.
    await page.getByText('Tick this to save a configuration that approves payments without assessment').waitFor();
    assert.equal(await page.getByTestId('toggle-save').isDisabled(), true, 'not saveable without the tick');
    await page.getByTestId('toggle-confirm-danger').check();
    await page.getByTestId('toggle-save').click();
    await page.getByTestId('toggle-form').waitFor({ state: 'hidden' });

    const admin = await login(url, 'admin', service.adminPassword);
    const future = await call<ToggleConfiguration[]>(url, 'GET', '/api/v1/fraud-api-toggle/configurations/future', { token: admin.token });
    const scheduled = future.find((c) => c.disabledReason === REASON);
    assert.ok(scheduled, 'the scheduled configuration is stored as a future one');
    assert.equal(scheduled.effectiveFrom, new Date(start).toISOString());
    assert.equal(scheduled.effectiveUntil, new Date(end).toISOString());
    assert.equal(scheduled.level, 'CLEARING_SYSTEM');
    assert.equal(scheduled.disabledBehaviour, 'APPROVE', 'the fallback the admin chose and confirmed');
    await page.getByTestId('toggle-filter-future').click();
    await page.locator(`[data-testid="toggle-row"][data-toggle-id="${scheduled.id}"][data-state="FUTURE"]`).waitFor();
    await shoot(page, 'toggles-future.png');

    // The status check panel, at three instants.
    await page.getByTestId('toggles-tab-status').click();
    await page.getByTestId('status-tenant').fill('WEKEZA-KE');
    await page.getByTestId('status-payment-type').fill('MOBILE_MONEY');
    await page.getByTestId('status-clearing-system').fill('MPESA');
    const statusAt = async (instant: number): Promise<{ enabled: boolean; reason: string }> => {
      await typeInstant(page, 'status-at', instant);
      await page.getByTestId('status-check').click();
      const result = page.getByTestId('status-result');
      await result.waitFor();
      // The panel shows the instant it checked; wait until it is this one.
      await page.waitForFunction(
        (iso) => document.querySelector('[data-testid="status-result"]')?.getAttribute('data-at') === iso,
        new Date(instant).toISOString(),
        { timeout: 10_000 },
      );
      return { enabled: (await result.getAttribute('data-enabled')) === 'true', reason: await page.getByTestId('status-reason').innerText() };
    };

    const beforeWindow = await statusAt(start - HOUR);
    assert.equal(beforeWindow.enabled, true, 'an hour before the window the engine is on');
    const inside = await statusAt(start + 30 * 60_000);
    assert.equal(inside.enabled, false, 'inside the window it is off');
    assert.match(inside.reason, /CHG-3107/);
    await page.locator('[data-testid="status-candidate"][data-verdict="winner"]').first().waitFor();
    await shoot(page, 'toggles-status-inside.png');
    const afterWindow = await statusAt(end + HOUR);
    assert.equal(afterWindow.enabled, true, 'after the window it is on again');
    await page.locator('[data-testid="status-candidate"][data-verdict="expired"]').first().waitFor();

    // The service agrees at the exact boundaries.
    const check = (instant: number) =>
      call<ToggleResolution>(
        url,
        'GET',
        `/api/v1/fraud-api-toggle/check?tenantId=WEKEZA-KE&paymentType=MOBILE_MONEY&clearingSystemCode=MPESA&at=${encodeURIComponent(new Date(instant).toISOString())}`,
        { token: admin.token },
      );
    assert.equal((await check(start - 1)).enabled, true);
    assert.equal((await check(start)).enabled, false);
    assert.equal((await check(end - 1)).enabled, false);
    assert.equal((await check(end)).enabled, true);

    await page.getByTestId('toggles-tab-statistics').click();
    await page.getByTestId('toggle-chart-checks').waitFor();
    await shoot(page, 'toggles-statistics.png');
    assert.deepEqual(manager.problems, [], 'no console errors');
  });
});
