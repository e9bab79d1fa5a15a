// End to end, against the real service and Chromium (issue 13 "Screens"): a risk manager
// identifies a risk with pasted text, assesses it on the matrix, links a control, and records a
// failing control test: the control turns ineffective and the residual level rises; the heat map
// counts the risk and a click (or Enter) on its cell filters the grid; a half-typed date is a
// field error, never a broken screen; the matrix editor refuses a bad colour and publishes v2.
// Screenshots at 1366×768 and 1920×1080 land in test-results/screenshots.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { RiskDetail, RiskPage } from '../shared/src/risk-register.ts';
import { DEFAULT_RISK_MATRIX } from '../shared/src/risk-register.ts';
import { call, login } from './support/api.ts';
import { launchChromium } from './support/chromium.ts';
import { startService, type RunningService } from './support/service.ts';
import { openSignedIn, shootSizes, type SignedInPage, SIZES } from './support/ui.ts';
import { readableOn, levelAt } from '../renderer/src/risks/matrix.ts';
import { draftProblems, toDraft } from '../renderer/src/risks/matrixDraft.ts';
import { noteText, oneLine } from '../renderer/src/risks/riskText.ts';
import { parseRiskRegisterParams, toRiskListQuery } from '../renderer/src/risks/useRiskRegisterParams.ts';
import { RiskListQuery } from '../shared/src/risk-register.ts';

describe('risk register screen helpers', { timeout: 10_000 }, () => {
  test('any URL gives a query the contract accepts', () => {
    for (const search of [
      '',
      'l=99&i=abc&status=NOPE&page=-4&level=%3Cscript%3E',
      'l=3',
      'l=3&i=5&basis=inherent',
      'owner=x&tenant=%00&q=' + 'x'.repeat(500),
      'pageSize=7&sort=drop',
    ]) {
      const params = parseRiskRegisterParams(new URLSearchParams(search));
      const parsed = RiskListQuery.safeParse(toRiskListQuery(params));
      assert.ok(parsed.success, `${search}: ${parsed.success ? '' : parsed.error.message}`);
    }
    const cell = parseRiskRegisterParams(new URLSearchParams('l=3&i=5&basis=inherent&overdue=1'));
    assert.deepEqual([cell.likelihood, cell.impact, cell.basis, cell.reviewOverdue], [3, 5, 'inherent', true]);
    // One coordinate alone is no cell (the API refuses it).
    assert.equal(parseRiskRegisterParams(new URLSearchParams('l=3')).likelihood, null);
  });

  test('pasted text is cleaned for one-line and note fields', () => {
    assert.equal(oneLine('a\tb\nc\u200bd\u2028e'), 'a b cd e');
    assert.equal(noteText('one\r\ntwo\u0007\u202e\tthree'), 'one\ntwo\tthree');
  });

  test('matrix reading and draft checks', () => {
    assert.equal(levelAt(DEFAULT_RISK_MATRIX, 5, 5)?.key, 'CRITICAL');
    assert.equal(levelAt(DEFAULT_RISK_MATRIX, 1, 1)?.key, 'LOW');
    assert.equal(levelAt(DEFAULT_RISK_MATRIX, 6, 1), null);
    assert.equal(readableOn('#c62828'), '#ffffff');
    assert.equal(readableOn('#f9a825'), '#000000');
    assert.equal(readableOn('not a colour'), '#000000');
    const draft = toDraft(DEFAULT_RISK_MATRIX);
    assert.deepEqual(draftProblems(draft), {});
    draft.levels[0]!.colour = '#zz';
    draft.levels[1]!.reviewDays = '9x';
    draft.levels[2]!.name = 'low';
    assert.deepEqual(Object.keys(draftProblems(draft)).sort(), ['levels.0.colour', 'levels.1.reviewDays', 'levels.2.name']);
  });
});

describe('risk register screens end to end', { timeout: 10 * 60_000 }, () => {
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

  test('identify, assess, link a control, fail its test: the residual rises; heat map and matrix editor', async () => {
    const opened = await openSignedIn(browser, service.url, 'admin', service.adminPassword);
    pages.push(opened);
    const { page } = opened;
    await page.setViewportSize(SIZES[0]);
    const admin = await login(service.url, 'admin', service.adminPassword);

    // A control to link, from the library.
    await page.getByTestId('nav-controls').click();
    await page.getByTestId('control-new').click();
    await page.getByTestId('control-name').fill('Dual authorisation of agent float top-ups');
    await page.getByTestId('control-new-save').click();
    await page.getByTestId('control-record-test').waitFor();
    // First test passes: the control is effective.
    await page.getByTestId('control-record-test').click();
    await page.getByTestId('test-result-PASS').click();
    await page.getByTestId('test-notes').fill('Sampled 25 top-ups, all with a second approver.');
    await page.getByTestId('test-save').click();
    await page.getByTestId('record-test-dialog').waitFor({ state: 'detached' });
    await page.locator('[data-testid="control-effectiveness"]', { hasText: 'Effective' }).waitFor();
    const controlUrl = page.url();

    // A risk, typed with pasted tabs, line breaks and an invisible character.
    await page.getByTestId('nav-risks').click();
    await page.getByTestId('risk-new').click();
    await page.getByTestId('risk-new-save').click();
    await page.getByText('Choose a category').waitFor();
    await page.getByTestId('risk-title').fill('Agent\tfloat\nshortfall\u200b in Turkana');
    await page.getByTestId('risk-category').click();
    await page.getByRole('option', { name: 'Liquidity' }).click();
    await page.getByTestId('risk-business-unit').fill('Agency banking');
    await page.getByTestId('risk-description').fill('Agents run out of cash\r\non market days.');
    await page.getByTestId('risk-new-save').click();
    await page.getByTestId('risk-header').waitFor();
    assert.equal(await page.locator('h1').innerText(), 'Agent float shortfall in Turkana');
    const riskId = page.url().split('/').pop()!;

    // Assess: likely (4) × severe (5) = Critical 20 inherent.
    await page.getByTestId('risk-assess').click();
    await page.getByTestId('assess-inherent-likelihood').click();
    await page.getByTestId('assess-inherent-likelihood-4').click();
    await page.getByTestId('assess-inherent-impact').click();
    await page.getByTestId('assess-inherent-impact-5').click();
    await page.getByTestId('assess-save').click();
    await page.locator('[data-testid="score-inherent"][data-score="20"]').waitFor();

    // Link the effective preventive control: likelihood one step down, residual 15 (High).
    await page.getByTestId('link-control').click();
    await page.getByTestId('link-control-choice').click();
    await page.getByRole('option').first().click();
    await page.getByTestId('link-control-save').click();
    await page.locator('[data-testid="score-residual"][data-score="15"]').waitFor();
    assert.equal(await page.getByTestId('score-residual').getAttribute('data-level'), 'HIGH');

    // A half-typed treatment due date is a field error; the dialog stays.
    await page.getByTestId('treatment-new').click();
    await page.getByTestId('treatment-title').fill('Pre-fund agents before market days');
    await page.getByTestId('treatment-due-field').getByRole('spinbutton').first().click();
    await page.keyboard.type('12/0');
    await page.getByTestId('treatment-title').click();
    await page.getByTestId('treatment-save').click();
    await page.getByText('Enter a complete date').waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('treatment-dialog').waitFor({ state: 'detached' });
    await shootSizes(page, 'risk-detail');

    // The control's test fails: ineffective, and the residual goes back up to Critical 20.
    await page.goto(controlUrl);
    await page.getByTestId('control-record-test').click();
    await page.getByTestId('test-result-FAIL').click();
    await page.getByTestId('test-notes').fill('6 of 25 top-ups had no second approver.');
    await page.getByTestId('test-save').click();
    await page.getByTestId('record-test-dialog').waitFor({ state: 'detached' });
    await page.locator('[data-testid="control-effectiveness"]', { hasText: 'Ineffective' }).waitFor();
    await page.goto(`${service.url}/risks/${riskId}`);
    await page.locator('[data-testid="score-residual"][data-score="20"]').waitFor();
    assert.equal(await page.getByTestId('score-residual').getAttribute('data-level'), 'CRITICAL');
    const detail = await call<RiskDetail>(service.url, 'GET', `/api/v1/risks/${riskId}`, { token: admin.token });
    assert.equal(detail.risk.residual?.score, 20);
    assert.equal(detail.controls[0]?.effectiveness, 'INEFFECTIVE');

    // Heat map: the risk is counted in L4 × I5 (residual); Enter on the cell filters the grid.
    await page.getByTestId('nav-risks').click();
    await page.locator('[data-testid="heat-cell-4-5"][data-count="1"]').waitFor();
    await page.getByTestId('heat-cell-5-5').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForURL(/l=4&i=5/);
    await page.getByTestId('heat-cell-filter').waitFor();
    assert.match(await page.getByTestId('risk-count').innerText(), /^1 risk/);
    const filtered = await call<RiskPage>(service.url, 'GET', '/api/v1/risks?likelihood=4&impact=5&basis=residual', { token: admin.token });
    assert.equal(filtered.total, 1);
    await shootSizes(page, 'risk-register');

    // Matrix editor: a bad colour is named, then a corrected edit is published as v2.
    await page.getByTestId('nav-risk-matrix').click();
    await page.getByTestId('matrix-level-colour-0').fill('#zz');
    await page.getByTestId('matrix-brush-3').click();
    await page.getByTestId('matrix-cell-3-5').click();
    await page.getByTestId('matrix-save').click();
    await page.getByText('A colour like #d97706').waitFor();
    await page.getByTestId('matrix-level-colour-0').fill('#1b5e20');
    await page.getByTestId('matrix-note').fill('Possible × Severe is critical');
    await page.getByTestId('matrix-save').click();
    await page.getByTestId('matrix-version-2').waitFor();
    await shootSizes(page, 'risk-matrix');

    // Owner picker: people who may own risks of the tenant (risk-owner.list), not an analyst.
    const newUser = (username: string, displayName: string, role: string) =>
      call(service.url, 'POST', '/api/v1/users', {
        token: admin.token,
        body: { username, displayName, role, tenantIds: ['WEKEZA-KE'], password: 'Owner-Picker-2026!x', passwordChangeRequired: false },
      });
    await newUser('ruth.mutua', 'Ruth Mutua', 'RISK_OFFICER');
    await newUser('amina.otieno', 'Amina Otieno', 'FRAUD_ANALYST');
    await page.goto(`${service.url}/risks/${riskId}`);
    await page.getByTestId('risk-edit').click();
    await page.getByTestId('risk-owner').click();
    await page.getByRole('option', { name: 'Ruth Mutua' }).waitFor();
    assert.equal(await page.getByRole('option', { name: 'Amina Otieno' }).count(), 0);
    await page.getByRole('option', { name: 'Ruth Mutua' }).click();
    await page.getByTestId('risk-business-unit').fill('Agency banking North');
    // A colleague saves first: the stale edit is refused and says so; reopened, it lands.
    const seen = await call<RiskDetail>(service.url, 'GET', `/api/v1/risks/${riskId}`, { token: admin.token });
    const { risk: r } = seen;
    await call(service.url, 'PUT', `/api/v1/risks/${riskId}`, {
      token: admin.token,
      body: {
        title: r.title,
        category: r.category,
        businessUnit: 'Agency',
        ownerId: r.ownerId,
        description: r.description,
        causes: r.causes,
        consequences: r.consequences,
        expectedVersion: r.version,
      },
    });
    await page.getByTestId('risk-new-save').click();
    await page.getByText('Changed by someone else — reload').waitFor();
    await shootSizes(page, 'risk-edit-stale');
    await page.getByTestId('risk-edit-dialog').getByRole('button', { name: 'Cancel' }).click();
    await page.getByTestId('risk-edit-dialog').waitFor({ state: 'detached' });
    await page.reload();
    await page.getByTestId('risk-edit').click();
    await page.getByTestId('risk-owner').click();
    await page.getByRole('option', { name: 'Ruth Mutua' }).click();
    await page.getByTestId('risk-new-save').click();
    await page.getByTestId('risk-edit-dialog').waitFor({ state: 'detached' });
    const edited = await call<RiskDetail>(service.url, 'GET', `/api/v1/risks/${riskId}`, { token: admin.token });
    assert.equal(edited.risk.ownerName, 'Ruth Mutua');
    assert.equal(edited.risk.businessUnit, 'Agency');

    // Delete asks first (no default button: Enter does nothing), then the risk leaves the register.
    await page.getByTestId('risk-delete').click();
    await page.getByTestId('risk-delete-dialog').waitFor();
    await page.keyboard.press('Enter');
    await page.waitForTimeout(500);
    assert.equal((await call<RiskDetail>(service.url, 'GET', `/api/v1/risks/${riskId}`, { token: admin.token })).risk.id, riskId);
    await shootSizes(page, 'risk-delete');
    await page.getByTestId('risk-delete-confirm').click();
    await page.waitForURL(/\/risks$/);
    const gone = await call<RiskPage>(service.url, 'GET', '/api/v1/risks?status=ALL', { token: admin.token });
    assert.equal(gone.total, 0);
    assert.equal(await page.getByText('Something went wrong').count(), 0);
    // The one refused request is the stale edit's 409, shown in the dialog above.
    assert.deepEqual(
      opened.problems.filter((p) => !/status of 409 \(Conflict\)/.test(p)),
      [],
    );
  });
});
