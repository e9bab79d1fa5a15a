// End to end, against the real service, a real bank-engine simulator on loopback and Chromium:
// the risk manager creates a configuration with the bank's fraud engine, tests the connection,
// changes a rule in a draft, backtests it over the demo history, publishes it, and watches
// assessments scored by the new version arrive live in the monitor.
// Run with `node --import tsx --test e2e/decision-engine.test.ts`.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assess, call, getAssessment, listAssessments, login, paymentEngineToken } from './support/api.ts';
import { useDemoSession } from './support/demo-session.ts';
import { markNoReload, openSignedIn, shoot, stillSamePage } from './support/ui.ts';
import { startBankEngineSimulator, type BankEngineSimulator } from '../service/src/bank-engine/simulator.ts';
import type { FraudRiskConfiguration } from '../shared/src/decision-engine.ts';
import type { PaymentInput } from '../shared/src/payments.ts';

const LIVE_MS = 10_000;
const ENGINE_KEY = 'e2e-engine-key-71c3';
const NAME = 'Agent cash withdrawals — e2e';

describe('decision engine end to end', { timeout: 30 * 60_000 }, () => {
  let engine: BankEngineSimulator;
  const session = useDemoSession();

  before(async () => {
    engine = await startBankEngineSimulator({ latencyMs: 15, auth: { kind: 'API_KEY', headerName: 'X-Api-Key', apiKey: ENGINE_KEY } });
  });

  after(async () => {
    await engine?.close();
  });

  test('create a configuration with the bank engine, test it, backtest a change, publish, watch assessments arrive live', async () => {
    const { service, browser, pages } = session;
    const url = service.url;
    const manager = await openSignedIn(browser, url, 'faith.wambui', service.demoPassword);
    pages.push(manager);
    const { page } = manager;

    await page.getByTestId('nav-decision-engine').click();
    await page.getByTestId('config-row').first().waitFor();
    await shoot(page, 'decision-engine-configurations.png');

    // A new configuration for agent cash withdrawals, with the bank's engine.
    await page.getByTestId('new-configuration').click();
    await page.getByTestId('config-name').fill(NAME);
    await page.getByTestId('config-payment-type').fill('CASH_WITHDRAWAL');
    await page.getByTestId('config-local-instrument').fill('AGENT');
    await page.getByTestId('open-bank-api').click();
    await page.getByTestId('bank-api-dialog').waitFor();
    await page.getByTestId('bank-api-endpoint').fill(engine.scoreUrl);
    await page.getByTestId('bank-api-api-key').fill(ENGINE_KEY);
    await page.getByTestId('bank-api-save').click();
    await page.getByTestId('bank-api-dialog').waitFor({ state: 'hidden' });
    await page.getByTestId('config-create').click();
    await page.waitForURL(/\/decision-engine\/configurations\/[0-9a-f-]{36}/);
    const id = /configurations\/([0-9a-f-]{36})/.exec(page.url())?.[1];
    assert.ok(id);
    await page.getByTestId('config-version').filter({ hasText: '1.0' }).waitFor();

    const admin = await login(url, 'admin', service.adminPassword);
    const created = await call<FraudRiskConfiguration>(url, 'GET', `/api/v1/fraud-risk/configurations/${id}`, { token: admin.token });
    assert.equal(created.configurationName, NAME);
    assert.equal(created.bankFraudApiConfig?.endpointUrl, engine.scoreUrl);
    assert.equal(created.bankFraudApiConfig?.credentialsSet.apiKey, true);
    assert.ok(!JSON.stringify(created).includes(ENGINE_KEY), 'the key is never sent back');

    // Test the connection from the dialog: the simulator answers through the stored settings.
    const before = engine.stats().requests;
    await page.getByTestId('open-bank-api').click();
    await page.getByTestId('bank-api-test').click();
    const result = page.getByTestId('bank-api-test-result');
    await result.waitFor({ timeout: LIVE_MS });
    assert.equal(await result.getAttribute('data-ok'), 'true', await result.innerText());
    assert.ok(engine.stats().requests > before, 'the simulator was called');
    assert.equal(engine.received().at(-1)?.headers['x-api-key'], ENGINE_KEY, 'with the stored API key');
    await result.scrollIntoViewIfNeeded();
    await shoot(page, 'decision-engine-bank-api-test.png');
    await page.keyboard.press('Escape');
    await page.getByTestId('bank-api-dialog').waitFor({ state: 'hidden' });

    // A draft that reviews everything from KES 20,000 (medium threshold lowered), then a backtest.
    await page.getByTestId('threshold-medium').fill('0.1');
    await page.getByTestId('save-draft').click();
    await page.getByTestId('draft-badge').first().waitFor();
    await page.getByTestId('backtest-days').fill('7');
    await page.getByTestId('backtest-start').click();
    await page.getByTestId('backtest-progress').waitFor();
    await page.locator('[data-testid="backtest-status"][data-status="COMPLETED"]').waitFor({ timeout: 60_000 });
    const changed = Number((await page.getByTestId('backtest-changed-count').innerText()).replace(/[^0-9]/g, ''));
    assert.ok(changed > 0, `the backtest found decisions that would change (${changed})`);
    await page.getByTestId('transition-row').first().waitFor();
    await page.getByTestId('backtest-result').scrollIntoViewIfNeeded();
    await shoot(page, 'decision-engine-backtest.png');

    // Publish from the backtest (the dialog shows the diff and needs a note), then the new version scores the next payments.
    await page.getByTestId('publish-draft').click();
    await page.getByTestId('publish-dialog').getByTestId('config-diff').waitFor();
    await page.getByTestId('publish-note').fill('Review agent withdrawals from a lower score (backtested)');
    await page.getByTestId('publish-confirm').click();
    await page.getByTestId('config-version').filter({ hasText: '2.0' }).waitFor({ timeout: LIVE_MS });
    const versions = await call<Array<{ version: string; status: string; backtestId: string | null }>>(
      url,
      'GET',
      `/api/v1/fraud-risk/configurations/${id}/versions`,
      { token: admin.token },
    );
    assert.deepEqual(
      versions.map((v) => [v.version, v.status]),
      [
        ['2.0', 'PUBLISHED'],
        ['1.0', 'SUPERSEDED'],
      ],
    );
    assert.ok(versions[0]?.backtestId, 'the published version records its backtest');

    // The live monitor: payments posted by the payment engine appear without a reload.
    await page.getByTestId('tab-assessments').click();
    await page.getByTestId('assessment-monitor').waitFor();
    await page.getByTestId('assessment-row').first().waitFor();
    await markNoReload(page);
    const sample = (await listAssessments(url, admin.token, 'page=0&pageSize=50&paymentType=CASH_WITHDRAWAL&tenantId=WEKEZA-KE')).items.find(
      (a) => a.payment.localInstrumentationCode === 'AGENT',
    );
    assert.ok(sample, 'the demo has agent cash withdrawals');
    const engineToken = await paymentEngineToken(url, admin.token);
    const posted: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { amountKes: _amountKes, ...stored } = sample.payment;
      const payment: PaymentInput = {
        ...stored,
        transactionReference: `E2E-AGENT-${Date.now()}-${i}`,
        amount: 20_000 + i * 5_000,
        timestamp: new Date().toISOString(),
      };
      posted.push((await assess(url, engineToken, payment)).assessmentId);
    }
    for (const assessmentId of posted) {
      await page.locator(`[data-testid="assessment-row"][data-assessment-id="${assessmentId}"]`).waitFor({ timeout: LIVE_MS });
    }
    assert.equal(await stillSamePage(page), true, 'the monitor updated without a reload');
    await shoot(page, 'decision-engine-monitor.png');

    const scored = await getAssessment(url, admin.token, posted[0]!);
    assert.equal(scored.configurationId, id);
    assert.equal(scored.configurationVersion, '2.0');
    assert.equal(scored.externalApiUsed, created.bankFraudApiConfig?.name);
    assert.equal(scored.assessmentDetails?.engine?.outcome, 'ANSWERED');

    // The drawer explains the decision rule by rule (a row with a case opens the case; the info button opens the drawer).
    await page.getByTestId(`assessment-details-${scored.transactionReference}`).click();
    await page.getByTestId('assessment-drawer').waitFor();
    await page.getByTestId('rule-log-row').first().waitFor();
    await shoot(page, 'decision-engine-assessment-drawer.png');
    assert.deepEqual(manager.problems, [], 'no console errors');
  });
});
