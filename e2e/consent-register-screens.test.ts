// End to end, against the real service and Chromium (issue 14 "Screens"): an administrator
// registers an Open Banking app (its secret shown once); the app, played by openid-client and a
// redirect receiver, gets a customer's consent through the service's consent pages and calls the
// partner API; a compliance officer finds the consent with the register's filters (a half-typed
// date is a field error, never a broken screen), sees it in the review queue with its reasons,
// reads its access log; with the customer present the app reads balances and transactions and
// initiates a 2,000,000 KES payment that the fraud engine holds for review (a case opens); the
// officer revokes the consent with a reason: the status changes live on another
// officer's screen, the app's next call is refused (403) and a signed consent.revoked webhook
// reaches the app's receiver. Then the administrator suspends,
// reinstates and rotates the app, and its usage charts render. Screenshots at 1366×768 and
// 1920×1080 land in test-results/screenshots.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { ConsentListQuery } from '../shared/src/open-banking.ts';
import { parseConsentParams, toConsentListQuery } from '../renderer/src/consents/consentParams.ts';
import { bankToday, redirectLines, usageRange } from '../renderer/src/open-banking-apps/appText.ts';
import { Webhook } from 'standardwebhooks';
import type { PartnerAccountList, PartnerBalance, PartnerPayment, PartnerTransactionPage } from '../shared/src/open-banking-api.ts';
import { startReceiver, type Receiver } from '../service/src/webhooks/receiver-fixture.ts';
import { call, login } from './support/api.ts';
import { launchChromium } from './support/chromium.ts';
import { PartnerApp, startRedirectReceiver, type RedirectReceiver } from './support/consent-partner.ts';
import { startService, type RunningService } from './support/service.ts';
import { markNoReload, openSignedIn, shootSizes, type SignedInPage, SIZES, stillSamePage } from './support/ui.ts';

describe('consent register screen helpers', { timeout: 10_000 }, () => {
  test('any URL gives a query the contract accepts', () => {
    for (const search of [
      '',
      'status=Nope&scope=%3Cscript%3E&app=not-a-uuid&page=-3&pageSize=7',
      'expiresFrom=2026-02-30&expiresTo=12%2F0',
      'expiresFrom=2026-12-10&expiresTo=2026-12-01',
      'expiresFrom=1999-01-01&expiresTo=2100-12-31',
      `customer=${encodeURIComponent('a\tb\u200b\n'.repeat(80))}`,
      'status=Expired&scope=payments.write&app=6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b&expiresFrom=2026-12-01&expiresTo=2026-12-31&page=2&pageSize=100',
    ]) {
      const query = toConsentListQuery(parseConsentParams(new URLSearchParams(search)));
      const parsed = ConsentListQuery.safeParse(query);
      assert.ok(parsed.success, `${search}: ${parsed.success ? '' : parsed.error.message}`);
    }
    const full = toConsentListQuery(parseConsentParams(new URLSearchParams('expiresFrom=2026-12-01&expiresTo=2026-12-31')));
    assert.equal(full.expiresAfter, '2026-12-01T00:00:00+03:00');
    assert.equal(full.expiresBefore, '2027-01-01T00:00:00+03:00', 'the whole last day is included');
    const impossible = parseConsentParams(new URLSearchParams('expiresFrom=2026-02-30'));
    assert.equal(impossible.expiresFrom, null);
    const inverted = toConsentListQuery(parseConsentParams(new URLSearchParams('expiresFrom=2026-12-10&expiresTo=2026-12-01')));
    assert.equal(inverted.expiresBefore, undefined, 'an end before the start is not sent');
  });

  test('redirect URIs one per line; usage ranges are whole bank days', () => {
    assert.deepEqual(redirectLines(' https://a.example/cb \r\n\n\thttp://127.0.0.1:9/cb\n'), ['https://a.example/cb', 'http://127.0.0.1:9/cb']);
    assert.equal(bankToday(Date.parse('2026-12-04T21:30:00Z')), '2026-12-05', 'after 21:00 UTC it is tomorrow in Nairobi');
    assert.deepEqual(usageRange('2026-11-05', '2026-12-04'), { from: '2026-11-05T00:00:00+03:00', to: '2026-12-05T00:00:00+03:00' });
  });
});

const errorCode = (body: unknown): string | undefined => (body as { error?: { code?: string } }).error?.code;

describe('consent register and Open Banking apps end to end', { timeout: 20 * 60_000 }, () => {
  let service: RunningService;
  let browser: Browser;
  let receiver: RedirectReceiver;
  let hooks: Receiver;
  const pages: SignedInPage[] = [];
  before(async () => {
    browser = await launchChromium();
    receiver = await startRedirectReceiver();
    hooks = await startReceiver();
    // Demo mode: the demo customers, their accounts and the demo customer sign-in.
    service = await startService({ demo: true });
  });
  after(async () => {
    for (const opened of pages) await opened.context.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await receiver?.close().catch(() => undefined);
    await hooks?.stop().catch(() => undefined);
    await service?.stop();
  });

  test('register an app, consent, review and revoke; suspend, reinstate and rotate the app', async () => {
    const admin = await openSignedIn(browser, service.url, 'faith.wambui', service.demoPassword);
    pages.push(admin);
    const a = admin.page;
    await a.setViewportSize(SIZES[0]);

    // --- The administrator registers the app: the form checks what is typed, the secret is shown once.
    await a.getByTestId('nav-open-banking-apps').click();
    await a.getByTestId('ob-apps-page').waitFor();
    await a.getByTestId('app-new').click();
    await a.getByTestId('app-form-save').click();
    await a.getByText('Choose what kind of app this is').waitFor();
    await a.getByText('choose at least one scope').waitFor();
    await a.getByTestId('app-form-tenant').fill('WEKEZA-KE');
    await a.getByTestId('app-form-kind').click();
    await a.getByTestId('app-form-kind-FINTECH').click();
    await a.getByTestId('app-form-name').fill('Hesabu\tBudget\n\u200bApp');
    await a.getByTestId('app-form-description').fill('Budgeting for market traders.\r\nReads accounts and transactions.');
    await a.getByTestId('app-form-redirects').fill(`${receiver.url}\nhttp://evil.example/cb#frag`);
    await a.getByTestId('app-form-scope-accounts.read').check();
    await a.getByTestId('app-form-scope-transactions.read').check();
    await a.getByTestId('app-form-scope-balances.read').check();
    await a.getByTestId('app-form-scope-payments.write').check();
    await a.getByTestId('app-form-save').click();
    await a.getByText(/^Line 2: /).waitFor();
    await a.getByTestId('app-form-redirects').fill(receiver.url);
    await shootSizes(a, 'ob-app-register');
    await a.getByTestId('app-form-save').click();
    await a.getByTestId('app-secret').waitFor();
    const clientSecret = (await a.getByTestId('app-secret-secret').innerText()).trim();
    const clientId = (await a.getByTestId('app-secret-client-id').innerText()).trim();
    assert.match(clientId, /^wkz_/);
    assert.ok(clientSecret.length >= 40, 'a 32-byte secret');
    await shootSizes(a, 'ob-app-secret-once');
    await a.getByTestId('app-secret-done').click();
    await a.getByTestId('app-secret').waitFor({ state: 'detached' });
    await a.getByTestId('app-row-Hesabu Budget App').waitFor();
    assert.ok(!(await a.locator('body').innerText()).includes(clientSecret), 'the secret is not shown again');

    // --- The app gets a customer's consent through the service's pages and calls the API.
    const engine = await login(service.url, 'admin', service.adminPassword);
    // A corporate customer of the tenant (the demo's corporate accounts hold millions of KES), so
    // the app's payment below is funded and large enough for the fraud engine to look at it.
    const sample = await call<{ items: { payment: { customerId: string } }[] }>(
      service.url,
      'GET',
      '/api/v1/fraud-risk/assessments?pageSize=100&tenantId=WEKEZA-KE&sort=amount&direction=desc',
      { token: engine.token },
    );
    let customerRef: string | null = null;
    for (const ref of new Set(sample.items.map((item) => item.payment.customerId))) {
      const resolved = await call<{ gcid: string | null }>(service.url, 'GET', `/api/v1/customer/resolve?customerRef=${encodeURIComponent(ref)}`, {
        token: engine.token,
      });
      if (!resolved.gcid) continue;
      const person = await call<{ segment: string | null }>(service.url, 'GET', `/api/v1/customer/${resolved.gcid}`, { token: engine.token });
      if (person.segment === 'CORPORATE') {
        customerRef = ref;
        break;
      }
    }
    assert.ok(customerRef, 'a corporate customer among the largest payments');
    const partner = await PartnerApp.connect(service.url, clientId, clientSecret);
    // The app subscribes its receiver (a small real server) to the events of seed 002 §4.4.
    const subscribed = await partner.call('POST', '/open-banking/v1/webhooks', await partner.clientToken(), {
      url: hooks.url,
      events: ['consent.revoked', 'payment.completed'],
    });
    assert.equal(subscribed.status, 201, JSON.stringify(subscribed.body));
    const hookSecret = (subscribed.body as { secret: string }).secret;
    const created = await partner.askConsent(['accounts.read', 'balances.read', 'transactions.read', 'payments.write'], {
      frequencyPerDay: 4,
      expiresAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
    });
    const consentId = created.consent.consentId;
    const token = await partner.authorise(browser, created, receiver.url, customerRef, { allAccounts: true });
    for (let i = 0; i < 3; i++) assert.equal((await partner.call('GET', '/open-banking/v1/accounts', token)).status, 200);
    const outside = await partner.call('GET', '/open-banking/v1/accounts/6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b', token);
    assert.equal(outside.status, 403, JSON.stringify(outside.body));
    assert.equal(errorCode(outside.body), 'ACCOUNT_NOT_IN_CONSENT');

    // --- The compliance officer finds it with the filters.
    const officer = await openSignedIn(browser, service.url, 'wanjiru.njoroge', service.demoPassword);
    pages.push(officer);
    const o = officer.page;
    await o.setViewportSize(SIZES[0]);
    await o.getByTestId('nav-consents').click();
    await o.getByTestId('consents-page').waitFor();
    await o.getByTestId('consent-filter-customer').fill(customerRef);
    const row = o.getByTestId(`consent-row-${consentId}`);
    await row.waitFor();
    assert.equal(await row.getAttribute('data-status'), 'Authorised');
    await o.getByTestId('consent-filter-scope').click();
    await o.getByRole('option', { name: 'Payments' }).click();
    await row.waitFor();
    await o.getByTestId('consent-filter-status').click();
    await o.getByRole('option', { name: 'Expired' }).click();
    await o.getByText('None match these filters.').waitFor();
    await o.getByTestId('consent-filter-status').click();
    await o.getByRole('option', { name: 'Authorised' }).click();
    await row.waitFor();
    await o.getByTestId('consent-filter-scope').click();
    await o.getByRole('option', { name: 'Any scope' }).click();
    await row.waitFor();
    // A half-typed expiry day is a field error; the grid keeps working.
    await o.getByTestId('consent-filter-expires-from-field').getByRole('spinbutton').first().click();
    await o.keyboard.type('12/0');
    await o.getByTestId('consent-filter-customer').click();
    await o.getByText('Incomplete date: finish or clear it').waitFor();
    await row.waitFor();
    await shootSizes(o, 'consent-register');
    await o.getByTestId('consent-filters-clear').click();

    // --- The review queue lists it, with its reasons.
    await o.getByTestId('consent-tab-review').click();
    const queued = o.getByTestId(`review-row-${consentId}`);
    await queued.waitFor();
    for (const reason of ['EXPIRING_SOON', 'NEAR_FREQUENCY_LIMIT', 'REFUSED_CALLS']) await queued.getByTestId(`review-reason-${reason}`).waitFor();
    await shootSizes(o, 'consent-review-queue');

    // --- The detail: facts, today's use, the access log with its decision filter.
    await queued.locator('[data-field="customer"]').click();
    await o.waitForURL(new RegExp(`/consents/${consentId}$`));
    await o.getByTestId('consent-access-log').waitFor();
    assert.equal(await o.getByTestId('consent-used-today').innerText(), '3');
    const log = o.getByTestId('consent-access-log');
    await log.getByTestId('access-row-DENY').waitFor();
    assert.equal(await log.getByTestId('access-row-ALLOW').count(), 3);
    await log.getByTestId('access-filter-decision').click();
    await o.getByRole('option', { name: 'Refused' }).click();
    await o.waitForFunction(() => document.querySelectorAll('[data-testid="consent-access-log"] [data-testid="access-row-ALLOW"]').length === 0);
    assert.equal(await log.getByTestId('access-row-DENY').count(), 1);
    assert.equal(await log.getByTestId('access-row-DENY').getAttribute('data-reason'), 'ACCOUNT_NOT_IN_CONSENT');
    await shootSizes(o, 'consent-detail');

    // --- With the customer present (exempt from the daily limit), the app reads balances and
    // transactions and initiates a payment; the fraud engine holds it for review and a case opens.
    const present = { 'x-fapi-customer-ip-address': '197.232.61.10' };
    const accounts = (await partner.call('GET', '/open-banking/v1/accounts', token, undefined, present)).body as PartnerAccountList;
    assert.ok(accounts.items.length > 0);
    let funded: { accountId: string; available: number } | null = null;
    for (const account of accounts.items) {
      const balance = await partner.call('GET', `/open-banking/v1/accounts/${account.accountId}/balance`, token, undefined, present);
      assert.equal(balance.status, 200, JSON.stringify(balance.body));
      const available = (balance.body as PartnerBalance).balances.find((b) => b.type === 'AVAILABLE')!;
      const amount = available.creditDebit === 'CREDIT' ? available.amount : -available.amount;
      if (!funded || amount > funded.available) funded = { accountId: account.accountId, available: amount };
    }
    assert.ok(funded && funded.available >= 2_000_000, `an account that can fund 2,000,000 KES: ${JSON.stringify(funded)}`);
    const history = await partner.call('GET', `/open-banking/v1/accounts/${funded.accountId}/transactions?creditDebit=DEBIT`, token, undefined, present);
    assert.equal(history.status, 200, JSON.stringify(history.body));
    assert.ok((history.body as PartnerTransactionPage).items.every((t) => t.creditDebit === 'DEBIT'));
    const initiated = await partner.call(
      'POST',
      '/open-banking/v1/payments',
      token,
      {
        debtorAccountId: funded.accountId,
        creditorAccount: 'EXT-5566778899',
        creditorName: 'Jua Kali Motors',
        amount: 2_000_000,
        currency: 'KES',
        reference: 'Car deposit',
      },
      { ...present, 'idempotency-key': `e2e-${consentId}` },
    );
    assert.equal(initiated.status, 201, JSON.stringify(initiated.body));
    const payment = initiated.body as PartnerPayment;
    assert.equal(payment.status, 'Pending', `held for review: ${JSON.stringify(payment)}`);
    const held = await call<{ items: { caseId: string | null; decision: string | null }[] }>(
      service.url,
      'GET',
      `/api/v1/fraud-risk/assessments?tenantId=WEKEZA-KE&search=${encodeURIComponent(`OB-${payment.paymentId}`)}`,
      { token: engine.token },
    );
    assert.equal(held.items.length, 1);
    assert.ok(held.items[0]!.caseId, `the engine's ${held.items[0]!.decision} opened a case`);
    const status = await partner.call('GET', `/open-banking/v1/payments/${payment.paymentId}`, token, undefined, present);
    assert.equal((status.body as PartnerPayment).status, 'Pending');

    // --- Another officer has the register open; the revoke reaches it live.
    await a.goto(`${service.url}/consents?customer=${encodeURIComponent(customerRef)}`);
    const liveRow = a.getByTestId(`consent-row-${consentId}`);
    await liveRow.waitFor();
    await markNoReload(a);
    await o.getByTestId('consent-revoke').click();
    await o.getByTestId('consent-revoke-reason').fill('x');
    assert.equal(await o.getByTestId('consent-revoke-confirm').isDisabled(), true, 'a reason of at least 3 characters');
    await o.getByTestId('consent-revoke-reason').fill('Customer\tcalled the\u200b branch:\r\nlost phone');
    await shootSizes(o, 'consent-revoke-dialog');
    await o.getByTestId('consent-revoke-confirm').click();
    await o.getByTestId('consent-revoke-dialog').waitFor({ state: 'detached' });
    await o.locator('[data-testid="consent-status"]', { hasText: 'Revoked' }).waitFor();
    await o.getByTestId('consent-ended').waitFor();
    await a.locator(`[data-testid="consent-row-${consentId}"][data-status="Revoked"]`).waitFor({ timeout: 15_000 });
    assert.ok(await stillSamePage(a), 'the other screen changed live, without a reload');
    const refused = await partner.call('GET', '/open-banking/v1/accounts', token);
    // The token was issued before the revocation; the consent check reads the row on every request.
    assert.equal(refused.status, 403, JSON.stringify(refused));
    assert.equal(errorCode(refused.body), 'CONSENT_NOT_AUTHORISED');
    // The app's receiver gets consent.revoked, signed (Standard Webhooks), verified with its secret.
    await hooks.waitFor(1, 30_000);
    const revokedHook = hooks.received.find((r) => (JSON.parse(r.body) as { type: string }).type === 'consent.revoked');
    assert.ok(revokedHook, `consent.revoked delivered: ${hooks.received.map((r) => r.body).join(' | ')}`);
    const verified = new Webhook(hookSecret).verify(revokedHook.body, revokedHook.headers) as { type: string; data: { consentId: string } };
    assert.equal(verified.data.consentId, consentId);
    assert.throws(() => new Webhook(hookSecret).verify(revokedHook.body.replace('Revoked', 'Authorised'), revokedHook.headers), 'a changed body fails');
    await shootSizes(o, 'consent-detail-revoked');

    // --- The administrator suspends, reinstates and rotates the app; its usage charts render.
    await a.getByTestId('nav-open-banking-apps').click();
    await a.getByTestId('app-row-Hesabu Budget App').click();
    await a.getByTestId('app-usage').waitFor();
    await a.locator('[data-testid="usage-by-day"] canvas').waitFor();
    await a.locator('[data-testid="usage-by-endpoint"] canvas').waitFor();
    await a.locator('[data-testid="usage-by-reason"] canvas').waitFor();
    await a.getByTestId('usage-range-7').click();
    await a.getByTestId('usage-from-field').getByRole('spinbutton').first().click();
    await a.keyboard.type('3');
    await a.getByTestId('app-title').click();
    await a.locator('[data-testid="usage-by-day"] canvas').waitFor();
    await shootSizes(a, 'ob-app-detail');

    await a.getByTestId('app-suspend').click();
    await a.getByTestId('app-suspend-reason').fill('Partner reported a leaked secret');
    await a.getByTestId('app-suspend-confirm').click();
    await a.getByTestId('app-suspended').waitFor();
    await assert.rejects(partner.clientToken(), 'a suspended app gets no token');
    await a.getByTestId('app-reinstate').click();
    await a.getByTestId('app-reinstate-reason').fill('Secret rotated by the partner');
    await a.getByTestId('app-reinstate-confirm').click();
    await a.getByTestId('app-suspended').waitFor({ state: 'detached' });
    assert.ok(await partner.clientToken());

    await a.getByTestId('app-rotate').click();
    assert.equal(await a.getByTestId('app-rotate-confirm').isDisabled(), true, 'the grace period is chosen, never defaulted');
    await a.getByTestId('app-rotate-grace').click();
    await a.getByTestId('app-rotate-grace-60').click();
    await a.getByTestId('app-rotate-confirm').click();
    await a.getByTestId('app-secret').waitFor();
    const rotated = (await a.getByTestId('app-secret-secret').innerText()).trim();
    assert.notEqual(rotated, clientSecret);
    await shootSizes(a, 'ob-app-rotated');
    await a.getByTestId('app-secret-done').click();
    assert.ok(await (await PartnerApp.connect(service.url, clientId, rotated)).clientToken(), 'the new secret works');
    assert.ok(await partner.clientToken(), 'the old secret works during the grace hour');

    assert.deepEqual(officer.problems, [], 'no console or page errors (officer)');
    assert.deepEqual(admin.problems, [], 'no console or page errors (administrator)');
  });
});
