// End to end, against the real service and Chromium: the keyboard-first workbench. Two analysts
// work one filtered queue; one moves with j/k, approves with `a` (the case is claimed for her and
// the decision dialog opens), and the other's queue drops the case live; `?` lists the keys;
// `c` claims the next case; bulk close as false positive. Run with `node --import tsx --test e2e/workbench.test.ts`.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CaseDetail, CaseSummary } from '../shared/src/cases.ts';
import { call, login } from './support/api.ts';
import { useDemoSession } from './support/demo-session.ts';
import { markNoReload, openSignedIn, shoot, stillSamePage } from './support/ui.ts';

const LIVE_MS = 10_000;
const QUEUE = '/cases?state=NEW&assignee=unassigned&risk=MEDIUM&sort=createdAt&dir=asc';

describe('analyst workbench end to end', { timeout: 30 * 60_000 }, () => {
  const session = useDemoSession();

  test('two analysts work one queue by keyboard: j/k, approve with a, claim-next with c, help with ?', async () => {
    const { service, browser, pages } = session;
    const { url, demoPassword: password } = service;
    const brian = await openSignedIn(browser, url, 'brian.kamau', password);
    const amina = await openSignedIn(browser, url, 'amina.otieno', password);
    pages.push(brian, amina);
    for (const analyst of [brian, amina]) {
      await analyst.page.goto(`${url}${QUEUE}`);
      await analyst.page.locator('[data-case-reference]').first().waitFor();
      await markNoReload(analyst.page);
    }
    const rows = brian.page.locator('[data-case-reference]');
    assert.ok((await rows.count()) >= 2, 'the demo has unassigned MEDIUM cases waiting');
    const current = () => brian.page.locator('[data-current="true"]').getAttribute('data-case-reference');

    // `?` lists the keys; Escape closes it.
    await brian.page.keyboard.press('?');
    await brian.page.getByTestId('shortcuts-dialog').waitFor();
    await shoot(brian.page, 'workbench-shortcuts.png');
    await brian.page.keyboard.press('Escape');
    await brian.page.getByTestId('shortcuts-dialog').waitFor({ state: 'hidden' });

    // j moves down, k moves up.
    await brian.page.keyboard.press('j');
    const first = await current();
    await brian.page.keyboard.press('j');
    const second = await current();
    assert.ok(first && second && first !== second, `j moved from ${first} to ${second}`);
    await brian.page.keyboard.press('k');
    assert.equal(await current(), first);
    assert.equal(await rows.first().getAttribute('data-case-reference'), first, 'the first j lands on the first row');
    await shoot(brian.page, 'workbench-current-row.png');

    // `a` approves the current case: it is claimed for Brian and the decision dialog opens on APPROVE.
    await brian.page.keyboard.press('a');
    await brian.page.getByTestId('decision-dialog').waitFor();
    await brian.page.getByTestId('decision-reason').click();
    await brian.page.locator('[role="option"][data-value="KNOWN_BENEFICIARY"]').click();
    await brian.page.getByTestId('decision-note').fill('Regular monthly payment to the same landlord since 2023.');
    await brian.page.getByTestId('decision-confirm').click();
    await brian.page.getByTestId('decision-dialog').waitFor({ state: 'hidden' });

    const admin = await login(url, 'admin', service.adminPassword);
    const decided = (await call<{ items: CaseSummary[] }>(url, 'GET', `/api/v1/cases?state=ALL&search=${first}`, { token: admin.token })).items[0]!;
    assert.equal(decided.state, 'CLOSED');
    assert.equal(decided.outcome, 'APPROVED');
    assert.equal(decided.assigneeName, 'Brian Kamau');
    assert.equal(decided.reasonCode, 'KNOWN_BENEFICIARY');
    assert.equal(decided.riskLevel, 'MEDIUM', 'the queue was filtered to MEDIUM from the URL');

    // Amina's view of the same queue loses the case live: it is no longer new and unassigned.
    await amina.page.locator(`[data-case-reference="${first}"]`).waitFor({ state: 'detached', timeout: LIVE_MS });
    assert.equal(await stillSamePage(amina.page), true, 'Amina’s queue updated without a reload');
    await brian.page.locator(`[data-case-reference="${first}"]`).waitFor({ state: 'detached', timeout: LIVE_MS });

    // `x` selects, and the bulk bar closes the selection as false positives.
    await brian.page.keyboard.press('j');
    const bulkTarget = await current();
    await brian.page.keyboard.press('x');
    await brian.page.getByTestId('bulk-bar').waitFor();
    await brian.page.getByTestId('bulk-close-fp').click();
    await brian.page.getByTestId('bulk-close-note').fill('Salary-day transfers to family; pattern seen every month.');
    await brian.page.getByTestId('bulk-close-confirm').click();
    await brian.page.locator(`[data-case-reference="${bulkTarget}"]`).waitFor({ state: 'detached', timeout: LIVE_MS });
    const bulkClosed = (await call<{ items: CaseSummary[] }>(url, 'GET', `/api/v1/cases?state=ALL&search=${bulkTarget}`, { token: admin.token })).items[0]!;
    assert.deepEqual([bulkClosed.state, bulkClosed.outcome, bulkClosed.reasonCode], ['CLOSED', 'APPROVED', 'FALSE_POSITIVE_RULE']);

    // `c` claims the most urgent unassigned case and opens it.
    await brian.page.keyboard.press('c');
    // The queue travels with the case (?from=…, issue 11) for next/previous and back.
    await brian.page.waitForURL(/\/cases\/[0-9a-f-]{36}(\?from=|$)/);
    const claimedId = new URL(brian.page.url()).pathname.split('/').at(-1)!;
    await brian.page.getByTestId('case-detail').waitFor();
    const claimed = await call<CaseDetail>(url, 'GET', `/api/v1/cases/${claimedId}`, { token: admin.token });
    assert.equal(claimed.case.assigneeName, 'Brian Kamau');
    await shoot(brian.page, 'workbench-claimed.png');

    assert.deepEqual([...brian.problems, ...amina.problems], [], 'no console or page errors');
  });
});
