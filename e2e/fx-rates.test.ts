// End to end, against the real service and Chromium: the risk manager reads the FX rate table,
// types a half-finished date (a field error, never a broken screen), schedules a USD rate, sees
// it in the history and deletes it again; the service agrees at every step.
// Run with `node --import tsx --test e2e/fx-rates.test.ts`.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { call, login } from './support/api.ts';
import { launchChromium } from './support/chromium.ts';
import { startService, type RunningService } from './support/service.ts';
import { openSignedIn, shoot, type SignedInPage } from './support/ui.ts';
import type { FxRateHistory, FxRateTable } from '../shared/src/fx-rates.ts';
import { formatEatInput, parseEatDateTime, parseRate } from '../renderer/src/fx-rates/rateInput.ts';

const HOUR = 3_600_000;

describe('FX rate form input', { timeout: 10_000 }, () => {
  test('never throws on partial or hostile typing and names what is wrong', () => {
    for (const text of [
      '',
      '0',
      '06',
      '0612202601',
      '06/12',
      '06/12/20',
      '31/02/2026 10:00',
      '06/13/2026',
      '06/12/2026 24:00',
      'abc',
      '\u0000',
      '99/99/9999 99:99',
    ]) {
      assert.equal(parseEatDateTime(text, 'DD/MM/YYYY HH:mm').ok, false, text);
    }
    for (const text of ['', '-1', '0', '1e5', '12.3.4', '1.0000000000001', 'KES 5', '200000000']) assert.equal(parseRate(text).ok, false, text);
  });

  test('reads dates in the locale order as EAT and rates with grouping', () => {
    assert.deepEqual(parseEatDateTime('06/12/2026 01:00', 'DD/MM/YYYY HH:mm'), { ok: true, value: '2026-12-05T22:00:00.000Z' });
    assert.deepEqual(parseEatDateTime('061220260100', 'DD/MM/YYYY HH:mm'), { ok: true, value: '2026-12-05T22:00:00.000Z' });
    assert.deepEqual(parseEatDateTime('12/06/2026 01:00', 'MM/DD/YYYY HH:mm'), { ok: true, value: '2026-12-05T22:00:00.000Z' });
    assert.equal(formatEatInput('2026-12-05T22:00:00.000Z', 'DD/MM/YYYY HH:mm'), '06/12/2026 01:00');
    assert.deepEqual(parseRate('1,234.5678'), { ok: true, value: 1234.5678 });
  });
});

describe('FX rates screen end to end', { timeout: 10 * 60_000 }, () => {
  let service: RunningService;
  let browser: Browser;
  const pages: SignedInPage[] = [];
  before(async () => {
    browser = await launchChromium();
    service = await startService({ demo: false });
  });
  after(async () => {
    for (const opened of pages) await opened.context.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await service?.stop();
  });

  test('schedule a USD rate with a typed date, see it in the table and history, delete it', async () => {
    const opened = await openSignedIn(browser, service.url, 'admin', service.adminPassword);
    pages.push(opened);
    const { page } = opened;
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.getByTestId('nav-fx-rates').click();
    await page.getByTestId('fx-row-AED').waitFor();
    await shoot(page, 'fx-rates-1366.png');

    await page.getByTestId('fx-search').fill('USD');
    await page.getByTestId('fx-set-USD').click();
    await page.getByTestId('fx-rate-dialog').waitFor();
    await page.getByTestId('fx-rate-when-later').click();
    // Half a date: an error under the field, the form and the screen stay.
    await page.getByTestId('fx-rate-from').fill('0612');
    await page.getByTestId('fx-rate-value').fill('130.15');
    await page.getByTestId('fx-rate-note').fill('CBK indicative mean rate');
    await page.getByTestId('fx-rate-save').click();
    await page.getByText('Use DD/MM/YYYY HH:mm').waitFor();
    assert.equal(await page.getByText('Something went wrong').count(), 0);

    // Two days ahead, 09:00 Nairobi time, typed as digits only.
    const day = new Date(Date.now() + 2 * 24 * HOUR + 3 * HOUR);
    const two = (n: number) => String(n).padStart(2, '0');
    const start = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), 9) - 3 * HOUR;
    await page.getByTestId('fx-rate-from').fill(`${two(day.getUTCDate())}${two(day.getUTCMonth() + 1)}${day.getUTCFullYear()}0900`);
    await shoot(page, 'fx-rates-schedule-form.png');
    await page.getByTestId('fx-rate-save').click();
    await page.getByTestId('fx-rate-dialog').waitFor({ state: 'hidden' });

    const admin = await login(service.url, 'admin', service.adminPassword);
    const table = await call<FxRateTable>(service.url, 'GET', '/api/v1/fx-rates', { token: admin.token });
    const usd = table.currencies.find((c) => c.code === 'USD');
    assert.equal(usd?.current?.kesPerUnit, 129.25);
    assert.equal(usd?.next?.kesPerUnit, 130.15);
    assert.equal(usd?.next?.effectiveFrom, new Date(start).toISOString());

    await page.getByTestId('fx-history-USD').click();
    await page.locator('[data-testid="fx-history-row"][data-state="SCHEDULED"]').waitFor();
    await page.setViewportSize({ width: 1920, height: 1080 });
    await shoot(page, 'fx-rates-history-1920.png');
    await page.getByTestId('fx-history-delete').click();
    await page.getByTestId('fx-delete-reason').fill('Published in error');
    await page.getByTestId('fx-delete-confirm').click();
    await page.locator('[data-testid="fx-history-row"][data-state="SCHEDULED"]').waitFor({ state: 'detached' });
    const history = await call<FxRateHistory>(service.url, 'GET', '/api/v1/fx-rates/USD/history', { token: admin.token });
    assert.deepEqual(
      history.rates.map((r) => r.state),
      ['CURRENT'],
    );
    assert.deepEqual(opened.problems, []);
  });
});
