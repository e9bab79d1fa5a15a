// End to end, against the real service and Chromium: a flagged payment appears live in two
// analysts' queues, one analyst blocks it, the other sees the decision arrive without a reload,
// and the service has recorded the decision (assessment + audit trail). Also: an executive sees
// only the overview. Run with `node --import tsx --test e2e/case-flow.test.ts`.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { CASE_OPENING_DECISIONS } from '../shared/src/assessments.ts';
import { assess, flaggedPayment, getAssessment, getCase, listAssessments, listAudit, login, paymentEngineToken } from './support/api.ts';
import { launchChromium } from './support/chromium.ts';
import { startService, type RunningService } from './support/service.ts';
import { decideInUi, markNoReload, openSignedIn, shoot, stillSamePage, type SignedInPage } from './support/ui.ts';

const LIVE_MS = 10_000;

describe('Wekeza Risk Workstation end to end', { timeout: 30 * 60_000 }, () => {
  let service: RunningService;
  let browser: Browser;
  const pages: SignedInPage[] = [];

  before(async () => {
    // The browser first: a missing Chromium fails in a second, not after the demo data is seeded.
    browser = await launchChromium();
    service = await startService({ demo: true });
  });

  after(async () => {
    for (const opened of pages) await opened.context.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await service?.stop();
  });

  test('a flagged payment reaches two analysts live; a block by one shows for both and is recorded', async () => {
    const url = service.url;
    const password = service.demoPassword;

    // Both analysts sign in and land on the case queue.
    const a = await openSignedIn(browser, url, 'amina.otieno', password, { screenshot: 'sign-in.png' });
    const b = await openSignedIn(browser, url, 'brian.kamau', password);
    pages.push(a, b);
    for (const analyst of [a, b]) {
      await analyst.page.waitForURL(/\/cases(\?|$)/);
      await analyst.page.locator('[data-case-reference]').first().waitFor();
      await markNoReload(analyst.page);
    }

    // The payment engine sends a large night-time PesaLink transfer from an unseen device for a real demo customer.
    const admin = await login(url, 'admin', service.adminPassword);
    const engineToken = await paymentEngineToken(url, admin.token);
    const sample = (await listAssessments(url, admin.token, 'page=0&pageSize=50&channel=WEB')).items.find((x) => x.payment.paymentSource !== 'CLEARING_SYSTEM');
    assert.ok(sample, 'the demo data has a web payment initiated by a bank client');
    const payment = flaggedPayment(sample);
    const scored = await assess(url, engineToken, payment);
    assert.ok(scored.decision !== null && CASE_OPENING_DECISIONS.includes(scored.decision), `the payment is held for review (got ${scored.decision}, ${scored.riskLevel})`);

    const stored = await getAssessment(url, admin.token, scored.assessmentId);
    assert.ok(stored.caseId, 'the assessment opened a case');
    const opened = await getCase(url, admin.token, stored.caseId);
    const caseReference = opened.case.reference;
    const row = (page: SignedInPage['page']) => page.locator(`[data-case-reference="${caseReference}"]`);

    // The new case appears in BOTH queues without a reload.
    await Promise.all([row(a.page).waitFor({ timeout: LIVE_MS }), row(b.page).waitFor({ timeout: LIVE_MS })]);
    assert.equal(await stillSamePage(a.page), true, 'analyst A’s queue updated without reloading');
    assert.equal(await stillSamePage(b.page), true, 'analyst B’s queue updated without reloading');
    await shoot(a.page, 'case-queue.png');

    // B opens the case and keeps watching it.
    await row(b.page).click();
    await b.page.getByTestId('case-detail').waitFor();
    await markNoReload(b.page);

    // A opens the case: amount, customer and the rules' contributions are on screen.
    await row(a.page).click();
    await a.page.getByTestId('case-detail').waitFor();
    await markNoReload(a.page);
    assert.match(await a.page.getByTestId('payment-amount').innerText(), /KES\s12,500,000\.00/);
    if (opened.customer) {
      assert.equal(await a.page.getByTestId('customer-name').innerText(), opened.customer.fullName);
    } else {
      await a.page.getByText('Customer not on file').waitFor();
    }
    const contributions = a.page.getByTestId('risk-factor-contribution');
    assert.ok((await contributions.count()) > 0, 'at least one rule contribution is shown');
    assert.match(await contributions.first().innerText(), /^\+[\d.]+ pts$/);
    assert.equal(await a.page.getByTestId('risk-factor').count(), await contributions.count());
    await shoot(a.page, 'case-detail.png');

    // A blocks the payment.
    await decideInUi(a.page, 'block', 'SUSPECTED_ACCOUNT_TAKEOVER', 'Customer denied the transfer on call-back; new device and Nigerian IP.');

    // A sees the case closed and blocked.
    await a.page.getByTestId('case-outcome').waitFor();
    assert.equal(await a.page.getByTestId('case-outcome').getAttribute('data-outcome'), 'BLOCKED');
    assert.equal(await a.page.getByTestId('case-state').innerText(), 'Closed');
    assert.equal(await a.page.getByTestId('decide-block').count(), 0, 'no decision buttons on a closed case');
    await shoot(a.page, 'case-decided.png');

    // B, watching the same case, sees the decision arrive without a reload.
    await b.page.getByTestId('case-outcome').waitFor({ timeout: LIVE_MS });
    assert.equal(await b.page.getByTestId('case-state').innerText(), 'Closed');
    assert.equal(await b.page.getByTestId('case-outcome').getAttribute('data-outcome'), 'BLOCKED');
    assert.equal(await b.page.getByTestId('decide-block').count(), 0);
    assert.equal(await stillSamePage(b.page), true, 'analyst B’s case view updated without reloading');

    // The service recorded it: the assessment carries the manual decision…
    const decided = await getAssessment(url, admin.token, scored.assessmentId);
    assert.ok(decided.manualDecision, 'manualDecision is set on the assessment');
    assert.equal(decided.manualDecision.decision, 'REJECT');
    // …and the audit trail has the decision by Amina with the state before and after.
    const audit = await listAudit(url, admin.token, `entityId=${encodeURIComponent(stored.caseId)}&pageSize=100`);
    const decision = audit.items.find((entry) => entry.actorName === 'Amina Otieno' && entry.after?.['state'] === 'CLOSED');
    assert.ok(decision, `the audit log has Amina's decision on ${caseReference}: ${JSON.stringify(audit.items.map((e) => [e.command, e.actorName]))}`);
    const amina = await login(url, 'amina.otieno', password);
    assert.equal(decision.actorId, amina.user.id);
    assert.ok(decision.before, 'the audit entry records the case before the decision');
    assert.notEqual(decision.before['state'], 'CLOSED');
    assert.equal(decision.after?.['outcome'], 'BLOCKED');

    // Screens for the record: overview, and the queue in dark mode.
    await a.page.getByTestId('nav-overview').click();
    await a.page.getByTestId('overview').waitFor();
    await shoot(a.page, 'overview.png');
    const dark = await openSignedIn(browser, url, 'brian.kamau', password, { colorScheme: 'dark' });
    pages.push(dark);
    await dark.page.locator('[data-case-reference]').first().waitFor();
    await shoot(dark.page, 'case-queue-dark.png');

    assert.deepEqual([...a.problems, ...b.problems], [], 'no console or page errors in the analysts’ windows');
  });

  test('a compliance officer reviews assessments and the audit trail; analysts have no audit log', async () => {
    const compliance = await openSignedIn(browser, service.url, 'wanjiru.njoroge', service.demoPassword);
    pages.push(compliance);
    const nav = compliance.page.getByTestId('main-nav');
    assert.deepEqual(
      await nav.locator('[data-testid^="nav-"]').evaluateAll((links) => links.map((l) => l.getAttribute('data-testid'))),
      ['nav-overview', 'nav-cases', 'nav-assessments', 'nav-decision-engine', 'nav-fraud-api-toggles', 'nav-audit'],
    );
    await compliance.page.getByTestId('nav-assessments').click();
    await compliance.page.locator('.MuiDataGrid-row').first().waitFor();
    assert.ok((await compliance.page.locator('.MuiDataGrid-row').count()) > 10, 'the demo assessments are listed');
    await shoot(compliance.page, 'assessments.png');
    await compliance.page.getByTestId('nav-audit').click();
    await compliance.page.getByTestId('audit-command').fill('case.decide');
    // The filter is applied after typing stops: wait until every row shown is a decision.
    await compliance.page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('.MuiDataGrid-row')];
      return rows.length > 0 && rows.every((row) => row.textContent?.includes('case.decide'));
    });
    await shoot(compliance.page, 'audit-log.png');
    assert.deepEqual(compliance.problems, [], 'no console or page errors');

    const analyst = await openSignedIn(browser, service.url, 'brian.kamau', service.demoPassword);
    pages.push(analyst);
    assert.equal(await analyst.page.getByTestId('nav-audit').count(), 0, 'analysts have no audit log screen');
  });

  test('an executive sees only the overview and no case data', async () => {
    const exec = await openSignedIn(browser, service.url, 'david.kiprop', service.demoPassword);
    pages.push(exec);
    await exec.page.waitForURL(/\/overview$/);
    const nav = exec.page.getByTestId('main-nav');
    assert.deepEqual(await nav.locator('[data-testid^="nav-"]').evaluateAll((links) => links.map((l) => l.getAttribute('data-testid'))), ['nav-overview']);
    await exec.page.getByTestId('overview').waitFor();
    await shoot(exec.page, 'overview-executive.png');

    await exec.page.goto(`${service.url}/cases`);
    await exec.page.getByTestId('access-denied').waitFor();
    assert.match(await exec.page.getByTestId('access-denied').innerText(), /don't have access/);
    assert.equal(await exec.page.locator('[data-case-reference]').count(), 0, 'no case rows are rendered');
    assert.equal(await exec.page.locator('.MuiDataGrid-root').count(), 0, 'no case grid is rendered');
    await shoot(exec.page, 'executive-cases-denied.png');
  });
});
