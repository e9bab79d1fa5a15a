// The same case flow through the desktop app, driven by Playwright's _electron: the Electron
// window (main + sandboxed preload + the service it starts) is analyst A, a second analyst works in
// Chromium against the same service. Runs wherever an Electron binary exists; where it cannot be
// downloaded (as on our CI machines) the test is reported as skipped with that reason.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { _electron as electron, type Browser, type ElectronApplication } from 'playwright-core';
import { findElectronBinary } from '../scripts/electron-binary.mjs';
import { CASE_OPENING_DECISIONS } from '../shared/src/assessments.ts';
import { assess, flaggedPayment, getAssessment, getCase, listAssessments, login, paymentEngineToken } from './support/api.ts';
import { launchChromium } from './support/chromium.ts';
import { ADMIN_PASSWORD, DEMO_PASSWORD, ROOT } from './support/service.ts';
import { decideInUi, markNoReload, openSignedIn, shoot, signIn, stillSamePage } from './support/ui.ts';

const binary = findElectronBinary();
const LIVE_MS = 10_000;

describe('desktop app end to end (Electron)', { timeout: 20 * 60_000 }, () => {
  let app: ElectronApplication | undefined;
  let browser: Browser | undefined;
  after(async () => {
    await app?.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
  });

  test('analyst in the desktop window blocks a flagged payment; a colleague in a browser sees it live', {
    skip: binary.path === null ? `no Electron binary: ${'reason' in binary ? binary.reason : ''}` : false,
  }, async () => {
    assert.ok(binary.path);
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'wekeza-electron-e2e-'));
    app = await electron.launch({
      executablePath: binary.path,
      args: [ROOT, '--no-sandbox'],
      // A fresh user-data folder (XDG_CONFIG_HOME on Linux): first start, demo data seeded.
      env: { ...process.env, XDG_CONFIG_HOME: home, HOME: home, WEKEZA_ADMIN_PASSWORD: ADMIN_PASSWORD, WEKEZA_DEMO_PASSWORD: DEMO_PASSWORD },
      timeout: 10 * 60_000,
    });
    const window = await app.firstWindow({ timeout: 10 * 60_000 });
    await window.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\//, { timeout: 10 * 60_000 });
    const serviceUrl = new URL(window.url()).origin;

    // The window is locked down: the typed bridge is there, node is not.
    assert.equal(await window.evaluate(() => typeof (window as unknown as { wekezaDesktop?: unknown }).wekezaDesktop), 'object');
    assert.equal(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require), 'undefined');
    assert.equal(await window.evaluate(() => typeof (globalThis as { process?: unknown }).process), 'undefined', 'sandboxed, context-isolated page');

    await signIn(window, serviceUrl, 'amina.otieno', DEMO_PASSWORD);
    await window.locator('[data-case-reference]').first().waitFor();
    await markNoReload(window);
    await shoot(window, 'electron-case-queue.png');

    browser = await launchChromium();
    const colleague = await openSignedIn(browser, serviceUrl, 'brian.kamau', DEMO_PASSWORD);
    await colleague.page.locator('[data-case-reference]').first().waitFor();

    const admin = await login(serviceUrl, 'admin', ADMIN_PASSWORD);
    const sample = (await listAssessments(serviceUrl, admin.token, 'page=0&pageSize=50&channel=WEB&tenantId=WEKEZA-KE')).items.find(
      (x) => x.payment.paymentSource !== 'CLEARING_SYSTEM',
    );
    assert.ok(sample);
    const scored = await assess(serviceUrl, await paymentEngineToken(serviceUrl, admin.token), flaggedPayment(sample));
    assert.ok(scored.decision !== null && CASE_OPENING_DECISIONS.includes(scored.decision));
    const stored = await getAssessment(serviceUrl, admin.token, scored.assessmentId);
    assert.ok(stored.caseId);

    const opened = await getCase(serviceUrl, admin.token, stored.caseId);
    const row = (page: typeof window) => page.locator(`[data-case-reference="${opened.case.reference}"]`);
    await Promise.all([row(window).waitFor({ timeout: LIVE_MS }), row(colleague.page).waitFor({ timeout: LIVE_MS })]);
    assert.equal(await stillSamePage(window), true, 'the desktop queue updated live');

    await row(colleague.page).click();
    await colleague.page.getByTestId('case-detail').waitFor();
    await row(window).click();
    await window.getByTestId('case-detail').waitFor();
    await decideInUi(window, 'block', 'SUSPECTED_ACCOUNT_TAKEOVER', 'Customer denied the transfer on call-back (desktop).');
    await window.getByTestId('case-outcome').waitFor();
    await shoot(window, 'electron-case-decided.png');

    await colleague.page.getByTestId('case-outcome').waitFor({ timeout: LIVE_MS });
    assert.equal(await colleague.page.getByTestId('case-outcome').getAttribute('data-outcome'), 'BLOCKED');
    const decided = await getAssessment(serviceUrl, admin.token, scored.assessmentId);
    assert.equal(decided.manualDecision?.decidedBy, 'Amina Otieno');
  });
});
