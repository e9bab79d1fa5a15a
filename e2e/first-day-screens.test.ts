// End to end, against the real demo service and Chromium (issue 11 §4): the screens a newcomer
// meets first. The sign-in page lists the demo users (demo mode only) and a click fills the form;
// opening a case while the service cannot be reached says so — not "the workstation was updated" —
// and recovers by itself once it answers; the assessments date filter takes typed dates in the
// app's format (not the browser's mm/dd/yyyy AM/PM) and a half-typed date never breaks the screen.
// Screenshots at 1366×768 and 1920×1080 land in test-results/screenshots.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DemoInfo } from '../shared/src/demo.ts';
import { call, login } from './support/api.ts';
import { useDemoSession } from './support/demo-session.ts';
import { newPage, shootSizes, signIn } from './support/ui.ts';

describe('first-day screens end to end', { timeout: 30 * 60_000 }, () => {
  const session = useDemoSession();

  test('the sign-in page lists the demo users with their password, and a click fills the form', async () => {
    const { service, browser, pages } = session;
    const opened = await newPage(browser);
    pages.push(opened);
    const { page } = opened;
    const info = await call<DemoInfo>(service.url, 'GET', '/api/v1/demo');
    assert.equal(info.demo, true);
    assert.equal(info.password, service.demoPassword);

    await page.goto(`${service.url}/sign-in`);
    await page.getByTestId('demo-users').waitFor();
    assert.equal(await page.getByTestId('demo-password').innerText(), service.demoPassword);
    const listed = await page.getByTestId('demo-user').evaluateAll((els) => els.map((e) => e.getAttribute('data-username')));
    assert.deepEqual(
      listed,
      info.users.map((u) => u.username),
    );
    assert.ok(listed.includes('faith.wambui') && listed.includes('amina.otieno'), listed.join(', '));
    assert.match(await page.getByTestId('demo-users').innerText(), /Risk manager/);
    await shootSizes(page, 'sign-in-demo', null);

    await page.locator('[data-testid="demo-user"][data-username="amina.otieno"]').click();
    assert.equal(await page.getByTestId('sign-in-username').inputValue(), 'amina.otieno');
    assert.equal(await page.getByTestId('sign-in-password').inputValue(), service.demoPassword);
    await page.getByTestId('sign-in-submit').click();
    await page.getByTestId('main-nav').waitFor();
    assert.deepEqual(opened.problems, [], 'no console errors');
  });

  test('opening a case while the service is unreachable says so, retries, and recovers on reconnect', async () => {
    const { service, browser, pages } = session;
    const opened = await newPage(browser);
    pages.push(opened);
    const { page } = opened;
    await signIn(page, service.url, 'amina.otieno', service.demoPassword);
    const amina = await login(service.url, 'amina.otieno', service.demoPassword);
    const queue = await call<{ items: Array<{ id: string; reference: string }> }>(service.url, 'GET', '/api/v1/cases?state=OPEN&pageSize=5', {
      token: amina.token,
    });
    const target = queue.items[0];
    assert.ok(target, 'the demo queue has a case');

    // The service goes away: every request to it fails as a refused connection would.
    let blocked = 0;
    await page.route(`${service.url}/**`, (route) => {
      blocked += 1;
      return route.abort('connectionrefused');
    });
    // Open the case in the running app (an in-app navigation, as a click in the queue does).
    await page.evaluate((path) => {
      window.history.pushState({}, '', path);
      window.dispatchEvent(new PopStateEvent('popstate'));
    }, `/cases/${target.id}`);
    const error = page.locator('[data-testid="route-error"][data-kind="unreachable"]');
    await error.waitFor({ timeout: 20_000 });
    const text = await error.innerText();
    assert.match(text, /Cannot reach the Wekeza service — retrying/);
    assert.doesNotMatch(text, /updated/i, 'not the false "workstation was updated"');
    assert.ok(blocked > 0);
    await shootSizes(page, 'case-service-unreachable', null);
    // Still unreachable a few seconds later: it keeps retrying and keeps saying so.
    const before = blocked;
    await page.waitForTimeout(4_500);
    assert.ok(blocked > before, 'it retried');
    assert.equal(await page.locator('[data-testid="route-error"][data-kind="unreachable"]').count(), 1);

    // The service is back: the message clears by itself and the case opens.
    await page.unroute(`${service.url}/**`);
    await page.locator(`[data-testid="case-detail"][data-case-id="${target.id}"]`).waitFor({ timeout: 30_000 });
    assert.equal(await page.getByTestId('route-error').count(), 0, 'the message is gone');
    await shootSizes(page, 'case-after-reconnect', null);
    const unexpected = opened.problems.filter((p) => !/ERR_CONNECTION_REFUSED|Failed to fetch|dynamically imported module|Failed to load resource/i.test(p));
    assert.deepEqual(unexpected, [], 'no other console errors');
  });

  test('the assessments date filter takes dates typed in the app format; a half-typed one is a field error, not a crash', async () => {
    const { service, browser, pages } = session;
    const opened = await newPage(browser, {});
    pages.push(opened);
    const { page } = opened;
    await signIn(page, service.url, 'faith.wambui', service.demoPassword);
    await page.goto(`${service.url}/assessments`);
    await page.getByTestId('assessment-row').first().waitFor();
    const field = page.getByTestId('filter-from-field');
    // The app's own field, in the en-KE order with a 24-hour clock: no native mm/dd/yyyy box.
    assert.equal(await page.locator('input[type="datetime-local"]').count(), 0);
    assert.match((await field.innerText()).replace(/\s+/g, ''), /DD\/MM\/YYYYhh:mm/i, 'day first, 24-hour');
    await field.getByRole('spinbutton').first().click();
    // Half a date: day and month, then two digits of the year.
    await page.keyboard.type('061220');
    // Leaving the box (the picker itself reports nothing while sections are empty).
    await page.getByTestId('assessment-search').click();
    await page.getByTestId('filter-from-field').getByText('Incomplete date').waitFor();
    assert.equal(await page.getByTestId('route-error').count(), 0, 'the screen did not crash');
    await shootSizes(page, 'assessments-date-half-typed', null);
    // Completed: 06/12/2026 01:00 EAT is taken as typed.
    await field.getByRole('spinbutton').first().click();
    await page.keyboard.type('061220260100');
    await page.waitForFunction(() => !document.querySelector('[data-testid="filter-from-field"]')?.textContent?.includes('Incomplete'), null, {
      timeout: 10_000,
    });
    const shown = (await field.innerText()).replace(/\s+/g, '');
    assert.match(shown, /06\/12\/202601:00/);
    assert.equal(await page.getByTestId('route-error').count(), 0);
    await shootSizes(page, 'assessments-date-filter', null);
    assert.deepEqual(opened.problems, [], 'no console errors');
  });
  test('dates follow the locale chosen in the user menu (default en-KE), and the choice survives a reload', async () => {
    const { service, browser, pages } = session;
    const opened = await newPage(browser);
    pages.push(opened);
    const { page } = opened;
    await signIn(page, service.url, 'amina.otieno', service.demoPassword);
    await page.goto(`${service.url}/fx-rates`);
    const effective = page.locator('[data-testid="fx-row-AED"] [data-field="effectiveFrom"]');
    await effective.waitFor();
    assert.match(await effective.innerText(), /^01 Jan 2020, 03:00 EAT$/, 'en-KE by default: day month year, 24-hour, zone named');

    await page.getByTestId('user-menu').click();
    await page.getByTestId('date-locale-en-US').waitFor();
    await shootSizes(page, 'user-menu-date-locale', null);
    await Promise.all([page.waitForEvent('load'), page.getByTestId('date-locale-en-US').click()]);
    await effective.waitFor();
    assert.match(await effective.innerText(), /^Jan 01, 2020, 03:00 EAT$/, 'en-US: month first, still 24-hour and EAT');

    await page.getByTestId('user-menu').click();
    await Promise.all([page.waitForEvent('load'), page.getByTestId('date-locale-en-KE').click()]);
    await effective.waitFor();
    assert.match(await effective.innerText(), /^01 Jan 2020, 03:00 EAT$/, 'back to the default');
    assert.deepEqual(opened.problems, [], 'no console errors');
  });
});
