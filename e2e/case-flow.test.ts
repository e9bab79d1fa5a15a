// End to end, against the real service and Chromium: a flagged payment appears live in two
// analysts' queues, one analyst blocks it, the other sees the decision arrive without a reload,
// and the service has recorded the decision (assessment + audit trail). Also: an executive sees
// only the overview. Run with `node --import tsx --test e2e/case-flow.test.ts`.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CASE_OPENING_DECISIONS } from '../shared/src/assessments.ts';
import { assess, call, flaggedPayment, getAssessment, getCase, listAssessments, listAudit, login, paymentEngineToken } from './support/api.ts';
import { useDemoSession } from './support/demo-session.ts';
import { decideInUi, markNoReload, openSignedIn, shoot, stillSamePage, type SignedInPage } from './support/ui.ts';

const LIVE_MS = 10_000;

describe('Wekeza Risk Workstation end to end', { timeout: 30 * 60_000 }, () => {
  const session = useDemoSession();

  test('a flagged payment reaches two analysts live; a big block waits for a second approver, then shows closed for both and is recorded', async () => {
    const { service, browser, pages } = session;
    const url = service.url;
    const password = service.demoPassword;

    // Both analysts sign in and land on the case queue.
    const a = await openSignedIn(browser, url, 'amina.otieno', password, { screenshot: 'sign-in.png' });
    const b = await openSignedIn(browser, url, 'brian.kamau', password);
    pages.push(a, b);
    for (const analyst of [a, b]) {
      await analyst.page.waitForURL(/\/cases(\?|$)/);
      // Newest first, so the new case arrives at the top (the queue's default is most urgent first).
      await analyst.page.goto(`${url}/cases?sort=createdAt`);
      await analyst.page.locator('[data-case-reference]').first().waitFor();
      await markNoReload(analyst.page);
    }

    // The payment engine sends a large night-time PesaLink transfer from an unseen device for a real
    // demo customer with no open case (a customer with one would see the payment join it), of the
    // analysts' tenant: the demo's second tenant's cases never reach their queues.
    const admin = await login(url, 'admin', service.adminPassword);
    const engineToken = await paymentEngineToken(url, admin.token);
    const candidates = (await listAssessments(url, admin.token, 'page=0&pageSize=100&channel=WEB&tenantId=WEKEZA-KE')).items.filter(
      (x) => x.payment.paymentSource !== 'CLEARING_SYSTEM',
    );
    let sample: (typeof candidates)[number] | undefined;
    for (const candidate of candidates) {
      const open = await call<{ total: number }>(url, 'GET', `/api/v1/cases?search=${encodeURIComponent(candidate.payment.customerId)}`, {
        token: admin.token,
      });
      if (open.total === 0) {
        sample = candidate;
        break;
      }
    }
    assert.ok(sample, 'the demo data has a web payment by a customer with no open case');
    const payment = flaggedPayment(sample);
    const scored = await assess(url, engineToken, payment);
    assert.ok(
      scored.decision !== null && CASE_OPENING_DECISIONS.includes(scored.decision),
      `the payment is held for review (got ${scored.decision}, ${scored.riskLevel})`,
    );

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

    // A opens the case and takes it; B, still on the queue, sees it taken without a reload.
    await row(a.page).click();
    await a.page.getByTestId('case-detail').waitFor();
    await markNoReload(a.page);
    await a.page.getByTestId('action-assign').click();
    await a.page.getByTestId('case-assignee').filter({ hasText: 'Amina Otieno' }).waitFor();
    await row(b.page).filter({ hasText: 'Amina Otieno' }).waitFor({ timeout: LIVE_MS });
    assert.equal(await stillSamePage(b.page), true);

    // B opens the case and keeps watching it: Amina's case offers B no actions.
    await row(b.page).click();
    await b.page.getByTestId('case-detail').waitFor();
    await markNoReload(b.page);
    assert.equal(await b.page.getByTestId('decide-block').count(), 0, 'B cannot decide a case Amina holds');

    // A sees amount, customer and the rules' contributions.
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

    // A blocks KES 12.5M: above the four-eyes limit, so it waits for a second approver.
    await decideInUi(a.page, 'block', 'SUSPECTED_ACCOUNT_TAKEOVER', 'Customer denied the transfer on call-back; new device and Nigerian IP.');
    await a.page.getByTestId('approval-banner').waitFor();
    await a.page.getByTestId('approval-waiting').waitFor();
    assert.equal(await a.page.getByTestId('approval-confirm').count(), 0, 'A cannot approve her own block');
    assert.equal(await a.page.getByTestId('case-detail').getAttribute('data-case-state'), 'AWAITING_APPROVAL');
    await shoot(a.page, 'case-four-eyes-requested.png');
    // B sees the request arrive live; the payment is still held.
    await b.page.getByTestId('approval-banner').waitFor({ timeout: LIVE_MS });
    assert.equal((await getAssessment(url, admin.token, scored.assessmentId)).manualDecision, null, 'nothing decided on the payment yet');

    // The compliance officer confirms the block in her own window.
    const c = await openSignedIn(browser, url, 'wanjiru.njoroge', password);
    pages.push(c);
    await c.page.goto(`${url}/cases/${stored.caseId}`);
    await c.page.getByTestId('approval-confirm').click();
    await c.page.getByTestId('approval-note').fill('Device and IP match the takeover pattern; confirmed.');
    await c.page.getByTestId('approval-submit').click();
    await c.page.getByTestId('case-outcome').waitFor();

    // A and B see the case closed and blocked without a reload.
    for (const viewer of [a, b]) {
      await viewer.page.getByTestId('case-outcome').waitFor({ timeout: LIVE_MS });
      assert.equal(await viewer.page.getByTestId('case-outcome').getAttribute('data-outcome'), 'BLOCKED');
      assert.equal(await viewer.page.getByTestId('case-state').innerText(), 'Closed');
      assert.equal(await viewer.page.getByTestId('decide-block').count(), 0, 'no decision buttons on a closed case');
      assert.equal(await stillSamePage(viewer.page), true, 'the case view updated without reloading');
    }
    await shoot(a.page, 'case-decided.png');

    // The service recorded it: the assessment carries the manual decision with both people…
    const decided = await getAssessment(url, admin.token, scored.assessmentId);
    assert.ok(decided.manualDecision, 'manualDecision is set on the assessment');
    assert.equal(decided.manualDecision.decision, 'REJECT');
    assert.equal(decided.manualDecision.decidedBy, 'Amina Otieno');
    // …and the audit trail has Amina's request and Wanjiru's approval, with the states before and after.
    const audit = await listAudit(url, admin.token, `entityId=${encodeURIComponent(stored.caseId)}&pageSize=100`);
    const request = audit.items.find((entry) => entry.actorName === 'Amina Otieno' && entry.after?.state === 'AWAITING_APPROVAL');
    assert.ok(request, `the audit log has Amina's block request on ${caseReference}: ${JSON.stringify(audit.items.map((e) => [e.command, e.actorName]))}`);
    const amina = await login(url, 'amina.otieno', password);
    assert.equal(request.actorId, amina.user.id);
    const approval = audit.items.find((entry) => entry.command === 'case.approval');
    assert.equal(approval?.actorName, 'Wanjiru Njoroge');
    assert.equal(approval?.before?.state, 'AWAITING_APPROVAL');
    assert.equal(approval?.after?.outcome, 'BLOCKED');
    assert.deepEqual(c.problems, [], 'no console or page errors in the approver’s window');

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
    const { service, browser, pages } = session;
    const compliance = await openSignedIn(browser, service.url, 'wanjiru.njoroge', service.demoPassword);
    pages.push(compliance);
    const nav = compliance.page.getByTestId('main-nav');
    const screens = (await nav.locator('[data-testid^="nav-"]').evaluateAll((links) => links.map((l) => l.getAttribute('data-testid')))).filter(
      (id) => !/^nav-(queue-|my-cases|awaiting-approval|case-queues)/.test(id ?? ''),
    );
    assert.deepEqual(screens, [
      'nav-overview',
      // Issue 15: the Deep Dive dashboard, and the alerts inbox compliance officers work.
      'nav-analytics',
      'nav-cases',
      'nav-queues',
      'nav-assessments',
      'nav-alerts',
      'nav-decision-engine',
      'nav-fraud-api-toggles',
      'nav-fx-rates',
      // Compliance officers keep the compliance risks (issue 13, seed 000's role mapping).
      'nav-risks',
      'nav-controls',
      'nav-kris',
      'nav-risk-events',
      'nav-risk-models',
      // The consent register (issue 14): compliance officers review and revoke Open Banking consents.
      'nav-consents',
      'nav-audit',
      // The section heading, then the matrix (read-only without risk:configure) and the Open Banking
      // apps (read-only without openbanking:manage).
      'nav-administration',
      'nav-risk-matrix',
      'nav-open-banking-apps',
      // The detectors' thresholds, read-only without alert:configure (issue 15).
      'nav-alert-thresholds',
    ]);
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

  test('an executive sees the overview and the risk register, and no case data', async () => {
    const { service, browser, pages } = session;
    const exec = await openSignedIn(browser, service.url, 'david.kiprop', service.demoPassword);
    pages.push(exec);
    await exec.page.waitForURL(/\/overview$/);
    const nav = exec.page.getByTestId('main-nav');
    // The overview and, read-only, the risk register with its reports (issue 13); no case screen.
    assert.deepEqual(await nav.locator('[data-testid^="nav-"]').evaluateAll((links) => links.map((l) => l.getAttribute('data-testid'))), [
      'nav-overview',
      'nav-analytics',
      'nav-risks',
      'nav-controls',
      'nav-kris',
      'nav-risk-events',
      'nav-risk-models',
      'nav-administration',
      'nav-risk-matrix',
    ]);
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
