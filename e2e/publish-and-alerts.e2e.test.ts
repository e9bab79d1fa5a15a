// Issue 11 in Chromium, as a risk manager: "Publish this draft" shows what changes against the
// published version and cannot publish without a change note; the alert settings say where the
// alerts they raise are sent (issue 15). Screenshots at 1366×768 and 1920×1080.
// Run with `node --import tsx --test e2e/publish-and-alerts.e2e.test.ts`.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { call, login } from './support/api.ts';
import { useDemoSession } from './support/demo-session.ts';
import { openSignedIn, shoot } from './support/ui.ts';
import type { ConfigurationVersion, FraudRiskConfiguration } from '../shared/src/decision-engine.ts';
import { newConfigurationTemplate } from '../shared/src/decision-engine-defaults.ts';

const BASE = '/api/v1/fraud-risk';
const SIZES = [
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
] as const;

async function shootAtSizes(page: Page, name: string, prepare: () => Promise<void>): Promise<void> {
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await prepare();
    await shoot(page, `${name}-${size.width}x${size.height}.png`);
  }
}

describe('publishing with a diff and a change note; alert settings', { timeout: 15 * 60_000 }, () => {
  const session = useDemoSession();

  test('the publish dialog shows the diff and needs a note; alert settings say where alerts go', async () => {
    const { service, browser, pages } = session;
    const url = service.url;
    const admin = await login(url, 'admin', service.adminPassword);
    // A configuration of its own, scoped to a payment type no demo payment has: nothing else moves.
    const created = await call<FraudRiskConfiguration>(url, 'POST', `${BASE}/configurations`, {
      token: admin.token,
      body: { ...newConfigurationTemplate(), configurationName: 'E2E publish review', tenantId: 'WEKEZA-KE', paymentType: 'E2E_PUBLISH' },
    });

    const manager = await openSignedIn(browser, url, 'faith.wambui', service.demoPassword);
    pages.push(manager);
    const { page } = manager;
    await page.goto(`${url}/decision-engine/configurations/${created.id}`);
    await page.getByTestId('config-version').filter({ hasText: '1.0' }).waitFor();

    // Alert settings (issue 15): they are the configuration's alert rule, and the screen says where alerts go.
    const notice = page.getByTestId('alerting-delivered');
    await notice.waitFor();
    const noticeText = await notice.innerText();
    assert.match(noticeText, /raise alerts/);
    assert.match(noticeText, /alert channels of the kinds chosen/);
    const monitoring = page.getByTestId('config-section-monitoring');
    assert.doesNotMatch(await monitoring.innerText(), /not sent yet/i, 'the settings are sent now');
    await shootAtSizes(page, 'alert-settings', async () => {
      await notice.evaluate((element) => element.scrollIntoView({ block: 'start' }));
    });
    await page.setViewportSize({ width: 1440, height: 900 });

    // A draft: a lower medium threshold, a heavier high-amount rule, the round-amount rule gone.
    await page.getByTestId('threshold-medium').fill('0.25');
    await page.getByTestId('rule-weight-amount.high').fill('0.4');
    await page.getByTestId('remove-rule-amount.round').click();
    await page.getByTestId('save-draft').click();
    await page.getByTestId('draft-badge').first().waitFor();
    await page.getByTestId('backtest-days').fill('7');
    await page.getByTestId('backtest-start').click();
    await page.locator('[data-testid="backtest-status"][data-status="COMPLETED"]').waitFor({ timeout: 60_000 });

    await page.getByTestId('publish-draft').click();
    const dialog = page.getByTestId('publish-dialog');
    await dialog.waitFor();
    const diff = dialog.getByTestId('config-diff');
    await diff.waitFor();
    const row = (path: string) => dialog.locator(`[data-testid="diff-row"][data-path="${path}"]`);
    await row('thresholds.medium').waitFor();
    assert.match(await row('thresholds.medium').innerText(), /Medium risk from score[\s\S]*0\.3[\s\S]*→[\s\S]*0\.25/);
    assert.match(await row('riskRules.amount.high.weight').innerText(), /High amount[\s\S]*0\.35[\s\S]*0\.4/);
    assert.equal(await row('riskRules.amount.round').getAttribute('data-kind'), 'removed');
    assert.match(await dialog.getByTestId('config-diff-summary').innerText(), /1 rule removed, 1 rule changed, 1 other setting changed/);

    // No note, or only spaces: the Publish button stays disabled and the helper says why.
    const confirm = dialog.getByTestId('publish-confirm');
    assert.equal(await confirm.isDisabled(), true);
    await dialog.getByTestId('publish-note').fill('   ');
    assert.equal(await confirm.isDisabled(), true, 'whitespace is not a note');
    assert.match(await dialog.getByTestId('publish-note-helper').innerText(), /Required: what changed and why/);
    await shootAtSizes(page, 'publish-draft-dialog', async () => {
      await dialog.getByTestId('diff-section').first().waitFor();
    });
    await page.setViewportSize({ width: 1440, height: 900 });

    await dialog.getByTestId('publish-note').fill('Lower the medium threshold; weigh high amounts more; round amounts were noise');
    assert.equal(await confirm.isDisabled(), false);
    await confirm.click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByTestId('config-version').filter({ hasText: '2.0' }).waitFor();

    const versions = await call<ConfigurationVersion[]>(url, 'GET', `${BASE}/configurations/${created.id}/versions`, { token: admin.token });
    const published = versions.find((v) => v.status === 'PUBLISHED');
    assert.equal(published?.version, '2.0');
    assert.equal(published?.changeNote, 'Lower the medium threshold; weigh high amounts more; round amounts were noise');
    assert.equal(published?.body.thresholds.medium, 0.25);

    // "Publish without backtest…" shows the same diff and needs a note too.
    await page.getByTestId('threshold-medium').fill('0.2');
    await page.getByTestId('config-save').click();
    const now = page.getByTestId('publish-now-dialog');
    await now.locator('[data-testid="diff-row"][data-path="thresholds.medium"]').waitFor();
    assert.match(await now.locator('[data-testid="diff-row"][data-path="thresholds.medium"]').innerText(), /0\.25[\s\S]*→[\s\S]*0\.2/);
    assert.equal(await now.getByTestId('config-save-confirm').isDisabled(), true);
    await now.getByTestId('config-change-note').fill('Medium risk from 0.2');
    await now.getByTestId('config-save-confirm').click();
    await page.getByTestId('config-version').filter({ hasText: '3.0' }).waitFor();
    const latest = await call<FraudRiskConfiguration>(url, 'GET', `${BASE}/configurations/${created.id}`, { token: admin.token });
    assert.equal(latest.thresholds.medium, 0.2);
    assert.deepEqual(manager.problems, [], 'no console or page errors');
  });
});
