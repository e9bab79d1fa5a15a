// Issue 11, the fraud analysts' and auditors' daily screens, end to end against the demo service:
// the queue fits a 1366×768 laptop in compact density (≥ 12 rows, no cut column) with chosen
// columns kept; the case page is keyboard-first (shortcuts, reason focused, Ctrl+Enter, "decide
// and open next") and shows what is at stake; the audit log names and filters records.
// Run with `WEKEZA_BUILD_OUT=… node --import tsx --test e2e/cases-screens.test.ts`.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { call, login } from './support/api.ts';
import { useDemoSession } from './support/demo-session.ts';
import { openSignedIn, shoot, SIZES } from './support/ui.ts';

/** Rows of the grid wholly inside its visible area, and whether any column is cut off or scrolls. */
async function gridFit(page: Page): Promise<{ rows: number; cut: boolean }> {
  return page.evaluate(() => {
    const scroller = document.querySelector<HTMLElement>('[data-testid="case-workbench"] .MuiDataGrid-virtualScroller');
    const grid = document.querySelector<HTMLElement>('[data-testid="case-workbench"] .MuiDataGrid-root');
    if (!scroller || !grid) return { rows: 0, cut: true };
    const view = scroller.getBoundingClientRect();
    const rows = [...scroller.querySelectorAll<HTMLElement>('[data-case-reference]')].filter((r) => {
      const box = r.getBoundingClientRect();
      return box.top >= view.top - 1 && box.bottom <= view.bottom + 1;
    }).length;
    // Cut: a column header reaching past what the grid shows (its scroller's visible width).
    const visibleRight = view.left + scroller.clientWidth;
    const headers = [...grid.querySelectorAll<HTMLElement>('.MuiDataGrid-columnHeader[data-field]')];
    const lastRight = Math.max(...headers.map((h) => h.getBoundingClientRect().right));
    return { rows, cut: lastRight > visibleRight + 1 };
  });
}

describe('issue 11: queue, case page and audit log screens', { timeout: 30 * 60_000 }, () => {
  const session = useDemoSession();

  test('the queue fits 1366×768 in compact density, most urgent first, with chosen columns kept', async () => {
    const { service, browser, pages } = session;
    const amina = await openSignedIn(browser, service.url, 'amina.otieno', service.demoPassword);
    pages.push(amina);
    const { page } = amina;
    await page.setViewportSize(SIZES[0]);
    await page.goto(`${service.url}/cases`);
    await page.locator('[data-case-reference]').first().waitFor();
    await page.getByTestId('case-count').filter({ hasText: 'most urgent first' }).waitFor();
    await shoot(page, 'i11-queue-standard-1366.png');
    const standard = await gridFit(page);

    await page.getByTestId('density-compact').click();
    await page.mouse.move(600, 500);
    await page.waitForTimeout(300);
    const compact = await gridFit(page);
    await shoot(page, 'i11-queue-compact-1366.png');
    assert.ok(compact.rows >= 12, `compact shows ${compact.rows} whole rows at 1366×768 (standard ${standard.rows})`);
    assert.equal(compact.cut, false, 'no column is cut off at 1366×768');

    // Overdue cases lead the default order.
    const slaTexts = await page.locator('[data-case-reference]').evaluateAll((rows) => rows.map((r) => r.textContent ?? ''));
    const firstOnTrack = slaTexts.findIndex((t) => !/overdue/i.test(t));
    const lastOverdue = slaTexts.map((t) => /overdue/i.test(t)).lastIndexOf(true);
    assert.ok(
      lastOverdue < 0 || firstOnTrack < 0 || lastOverdue < firstOnTrack || slaTexts.slice(0, lastOverdue).every((t) => /overdue|paused/i.test(t)),
      'overdue first',
    );

    // Hide a column; density and columns survive a reload (per user, this workstation).
    await page.getByTestId('columns-button').click();
    await page.getByTestId('column-toggle-channel').click();
    await page.keyboard.press('Escape');
    await page.reload();
    await page.locator('[data-case-reference]').first().waitFor();
    assert.equal(await page.locator('.MuiDataGrid-columnHeader[data-field="channel"]').count(), 0, 'the hidden column stays hidden');
    assert.equal(await page.getByTestId('density-compact').getAttribute('aria-pressed'), 'true', 'compact density is remembered');
    await page.setViewportSize(SIZES[1]);
    await shoot(page, 'i11-queue-compact-1920.png');
  });

  test('the case page is keyboard-first, shows the stake, and "decide and open next" moves on', async () => {
    const { service, browser, pages } = session;
    const brian = await openSignedIn(browser, service.url, 'brian.kamau', service.demoPassword);
    pages.push(brian);
    const { page, problems } = brian;
    await page.setViewportSize(SIZES[0]);
    // New cases brian can claim and approve without four-eyes (only CRITICAL closes need it): HIGH
    // ones, else MEDIUM — how many of each are still NEW depends on the hour the demo was seeded at.
    const { token } = await login(service.url, 'brian.kamau', service.demoPassword);
    let level = 'HIGH';
    for (const candidate of ['HIGH', 'MEDIUM', 'LOW']) {
      const found = await call<{ total: number }>(service.url, 'GET', `/api/v1/cases?state=NEW&riskLevel=${candidate}&pageSize=2`, { token });
      if (found.total >= 2) {
        level = candidate;
        break;
      }
    }
    await page.goto(`${service.url}/cases?state=NEW&risk=${level}`);
    await page.locator('[data-case-reference]').nth(1).waitFor();
    await page.keyboard.press('j');
    await page.keyboard.press('o');
    await page.getByTestId('case-detail').waitFor();
    const firstUrl = page.url();
    assert.match(firstUrl, /\/cases\/[0-9a-f-]{36}\?from=/, 'the queue travels with the case');
    await page.getByTestId('case-next').waitFor();
    await shoot(page, 'i11-case-1366.png');

    // ? shows the shortcuts; typing in a field never fires them.
    await page.keyboard.press('?');
    await page.getByTestId('case-shortcuts-dialog').waitFor();
    await shoot(page, 'i11-case-shortcuts-1366.png');
    await page.keyboard.press('Escape');
    await page.getByTestId('case-shortcuts-dialog').waitFor({ state: 'detached' });
    await page.getByTestId('comment-input').click();
    await page.keyboard.type('abe hj');
    await page.waitForTimeout(300);
    assert.equal(await page.getByTestId('decision-dialog').count(), 0, 'no dialog while typing');
    assert.equal(page.url(), firstUrl, 'no navigation while typing');
    await page.getByTestId('comment-input').fill('');
    await page.getByTestId('case-reference').click();

    // a: the case is claimed and the decision dialog opens with the reason focused and the stake spelled out.
    await page.keyboard.press('a');
    await page.getByTestId('decision-dialog').waitFor();
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'decision-reason');
    const stake = await page.getByTestId('decision-stake').innerText();
    // True to the service: every linked payment is released; four-eyes first where it applies.
    assert.match(
      stake,
      /^Approves \d+ payments? totalling KES [\d,.]+: (a second approver must confirm first \([^)]+\); then )?(it|both|all) will be released/,
    );
    await shoot(page, 'i11-case-decision-1366.png');
    await page.setViewportSize(SIZES[1]);
    await shoot(page, 'i11-case-decision-1920.png');
    await page.setViewportSize(SIZES[0]);
    // Keyboard only: open the reason list, pick the first, Tab to the note, Ctrl+Enter.
    await page.keyboard.press('ArrowDown');
    await page.locator('[role="option"]').first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('[role="option"]').first().waitFor({ state: 'detached' });
    await page.getByTestId('decision-note').focus();
    await page.keyboard.type('Verified with the customer by call-back.');
    assert.equal(await page.getByTestId('decision-open-next').isChecked(), true, '"then open the next case" is on');
    await page.keyboard.press('Control+Enter');
    await page.waitForURL((url) => url.href !== firstUrl && /\/cases\/[0-9a-f-]{36}\?from=/.test(url.href));
    await page.getByTestId('case-detail').waitFor();
    await page.getByTestId('case-notice').filter({ hasText: 'here is the next case' }).waitFor();
    await shoot(page, 'i11-case-next-1366.png');
    // k goes back to the previous case; u to the queue it came from.
    await page.keyboard.press('u');
    await page.waitForURL(/\/cases\?state=NEW&risk=HIGH/);
    assert.deepEqual(
      problems.filter((p) => !/Failed to load resource/.test(p)),
      [],
    );
  });

  test('the case page shows one customer risk with how it is computed, and rule points that add up', async () => {
    const { service, browser, pages } = session;
    const wanjiru = await openSignedIn(browser, service.url, 'wanjiru.njoroge', service.demoPassword);
    pages.push(wanjiru);
    const { page } = wanjiru;
    await page.setViewportSize(SIZES[1]);
    await page.goto(`${service.url}/cases`);
    await page.locator('[data-case-reference]').first().click();
    await page.getByTestId('case-detail').waitFor();
    await page.getByTestId('risk-score-summary').waitFor();
    const summary = await page.getByTestId('risk-score-summary').innerText();
    const total = Number(/^(\d+)\/100/.exec(summary)?.[1]);
    const lines = await page.locator('[data-testid="risk-factor-contribution"], [data-testid="risk-adjustment-points"]').allInnerTexts();
    const sum = lines.reduce((n, t) => n + Number(t.replace('−', '-').replace(/[^\d-]/g, '')), 0);
    assert.equal(sum, total, `the lines (${lines.join(' ')}) add up to ${total}`);
    await page.getByTestId('risk-score-summary').scrollIntoViewIfNeeded();
    await shoot(page, 'i11-case-score-1920.png');
    await page.setViewportSize(SIZES[0]);
    await shoot(page, 'i11-case-score-1366.png');
    await page.setViewportSize(SIZES[1]);
    await page.evaluate(() => window.scrollTo(0, 0));
    const risk = page.getByTestId('customer-overall-risk');
    await risk.waitFor();
    const level = await risk.getAttribute('data-risk-level');
    await shoot(page, 'i11-case-1920.png');
    const open360 = page.getByTestId('open-customer-360');
    if ((await open360.count()) > 0) {
      await open360.click();
      const c360 = page.getByTestId('c360-overall-risk');
      await c360.waitFor();
      assert.equal(await c360.getAttribute('data-risk-level'), level, 'the case card and Customer 360 agree');
      await shoot(page, 'i11-customer360-1920.png');
    }
  });

  test('the audit log names records by reference, links them, and filters by actor, command, record and time', async () => {
    const { service, browser, pages } = session;
    const grace = await openSignedIn(browser, service.url, 'grace.achieng', service.demoPassword);
    pages.push(grace);
    const { page, problems } = grace;
    await page.setViewportSize(SIZES[0]);
    await page.goto(`${service.url}/audit`);
    const subjects = page.getByTestId('audit-subject');
    await subjects.first().waitFor();
    await shoot(page, 'i11-audit-1366.png');
    const caseRef = (await page.locator('[data-testid="audit-subject"]').allInnerTexts()).find((t) => /^CASE-/.test(t));
    assert.ok(caseRef, 'a case reference is shown');

    await page.getByTestId('audit-entity').fill(caseRef);
    await page.waitForFunction((ref) => {
      const shown = [...document.querySelectorAll('[data-testid="audit-subject"]')].map((e) => e.textContent);
      return shown.length > 0 && shown.every((t) => t === ref);
    }, caseRef);
    await page.getByTestId('audit-command').fill('case.');
    await page.waitForTimeout(800);
    await subjects.first().waitFor();
    await shoot(page, 'i11-audit-filtered-1366.png');
    await page.getByTestId('audit-clear').click();
    // By actor: a part of the name, any case.
    await page.getByTestId('audit-actor').fill('brian');
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('.MuiDataGrid-row')];
      return rows.length > 0 && rows.every((r) => /Brian Kamau/.test(r.textContent ?? ''));
    });
    await page.getByTestId('audit-clear').click();

    // A half-typed date is a field error, never a crash.
    await page.getByTestId('audit-from-field').getByRole('spinbutton').first().click();
    await page.keyboard.type('06122');
    // Leaving the half-typed box names the problem on the field.
    await page.getByTestId('audit-actor').click();
    await page
      .getByTestId('audit-from-field')
      .getByText(/Enter a complete date/)
      .waitFor();
    assert.equal(await page.getByTestId('route-error').count(), 0, 'the screen did not crash');
    await shoot(page, 'i11-audit-partial-date-1366.png');
    await page.getByTestId('audit-from-field').getByRole('spinbutton').first().click();
    await page.keyboard.type('011220260900');
    await page
      .getByTestId('audit-from-field')
      .getByText(/Enter a complete date/)
      .waitFor({ state: 'detached' });
    await subjects.first().waitFor();
    await page.setViewportSize(SIZES[1]);
    await shoot(page, 'i11-audit-1920.png');
    // The reference links to its case.
    await page.locator('a[data-testid="audit-subject"]').first().click();
    await page.getByTestId('case-detail').waitFor();
    assert.deepEqual(
      problems.filter((p) => !/Failed to load resource/.test(p)),
      [],
    );
  });
});
