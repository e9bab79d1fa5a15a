import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS, stopTestPostgres } from '../testing/databases.ts';
import { startTestService, TEST_TENANT, type TestService } from '../testing/service.ts';
import { ManualClock } from '../clock.ts';
import { ServiceError } from '../errors.ts';
import type { ServiceContext } from '../context.ts';
import type { ObAppWithSecret } from '../../../shared/src/open-banking.ts';
import { checkConsentAccess, recordRefusedRequest, type ConsentAccessRequest } from './check.ts';
import { addAccounts, authorise, newConsent, partnerFor, registerApp } from './consent-fixture.ts';
import { rejectConsent, revokeConsent } from './commands.ts';
import { customerActor } from './mapping.ts';

after(stopTestPostgres);

// 12:00 EAT on 20 Nov 2026; the bank day ends at 21:00 UTC.
const NOW = '2026-11-20T09:00:00.000Z';
const HOUR = 3_600_000;
const ENDPOINT = '/open-banking/v1/accounts/:id/transactions';

/** The reason a check refused with (its status and error code), or 'OK'. */
async function outcome(ctx: ServiceContext, req: ConsentAccessRequest): Promise<{ status: number; code: string; retryAfter?: string }> {
  try {
    await checkConsentAccess({ db: ctx.db, clock: ctx.clock }, req);
    return { status: 200, code: 'OK' };
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    return { status: error.status, code: error.code, ...(error.headers?.['Retry-After'] ? { retryAfter: error.headers['Retry-After'] } : {}) };
  }
}

for (const dialect of DIALECTS) {
  describe(`the per-request consent check on ${dialect}`, { timeout: 300_000 }, () => {
    let svc: TestService;
    let ctx: ServiceContext;
    let clock: ManualClock;
    let app: ObAppWithSecret;
    let other: ObAppWithSecret;
    let accounts: string[];
    let n = 0;
    const customer = () => `CIF-CHECK-${dialect}-${++n}`;

    before(async () => {
      clock = new ManualClock(NOW);
      svc = await startTestService(dialect, { clock });
      ctx = svc.service.context;
      app = await registerApp(ctx, TEST_TENANT, 'Pesa Budget');
      other = await registerApp(ctx, TEST_TENANT, 'Other Fintech');
    });
    after(async () => svc?.stop());

    /** An Authorised consent of `app` for a new customer with two accounts (the first selected). */
    async function authorised(overrides: Partial<Parameters<typeof newConsent>[2]> = {}) {
      const ref = customer();
      accounts = await addAccounts(ctx, TEST_TENANT, ref, [`${ref}-1`, `${ref}-2`]);
      const consent = await newConsent(ctx, app, { permissions: ['accounts.read', 'transactions.read'], ...overrides });
      return authorise(ctx, consent, ref, [accounts[0]!]);
    }
    const request = (partner: ReturnType<typeof partnerFor>, extra: Partial<ConsentAccessRequest> = {}): ConsentAccessRequest => ({
      partner,
      method: 'GET',
      endpoint: ENDPOINT,
      path: '/open-banking/v1/accounts/x/transactions',
      requestId: null,
      scope: 'transactions.read',
      accountId: accounts[0]!,
      ...extra,
    });
    const logOf = (consentId: string) =>
      ctx.db.kysely
        .selectFrom('consent_access_log')
        .select(['decision', 'reason', 'status_code'])
        .where('consent_id', '=', consentId)
        .orderBy('at')
        .orderBy('id')
        .execute();

    it('allows a request within the consent and writes one ALLOW row with reason OK', async () => {
      const consent = await authorised();
      const checked = await checkConsentAccess({ db: ctx.db, clock }, request(partnerFor(app, consent)));
      assert.equal(checked.consent.id, consent.id);
      assert.deepEqual(checked.accountIds, [accounts[0]]);
      assert.deepEqual(await logOf(consent.id), [{ decision: 'ALLOW', reason: 'OK', status_code: 200 }]);
    });

    it('2. refuses another app’s token on the consent (APP_MISMATCH), before looking at its state', async () => {
      const consent = await authorised();
      await ctx.bus.execute(
        revokeConsent,
        { consentId: consent.id, by: 'APP', reason: 'the app ended it' },
        { kind: 'system', id: 'system', name: 's', role: 'SYSTEM', tenants: 'ALL' },
      );
      assert.deepEqual(await outcome(ctx, request(partnerFor(other, consent))), { status: 403, code: 'APP_MISMATCH' });
      assert.deepEqual(await logOf(consent.id), [{ decision: 'DENY', reason: 'APP_MISMATCH', status_code: 403 }]);
    });

    it('3. refuses a consent that is awaiting authorisation, rejected or revoked (CONSENT_NOT_AUTHORISED)', async () => {
      const waiting = await newConsent(ctx, app, { permissions: ['accounts.read'] });
      accounts = await addAccounts(ctx, TEST_TENANT, 'CIF-X', ['CIF-X-1']);
      assert.deepEqual(await outcome(ctx, request(partnerFor(app, waiting), { scope: 'accounts.read' })), { status: 403, code: 'CONSENT_NOT_AUTHORISED' });
      const rejected = await newConsent(ctx, app, { permissions: ['accounts.read'] });
      await ctx.bus.execute(rejectConsent, { consentId: rejected.id, customerRef: 'CIF-X' }, customerActor('CIF-X', TEST_TENANT));
      assert.deepEqual(await outcome(ctx, request(partnerFor(app, rejected), { scope: 'accounts.read' })), { status: 403, code: 'CONSENT_NOT_AUTHORISED' });
      const revoked = await authorised();
      await ctx.bus.execute(
        revokeConsent,
        { consentId: revoked.id, by: 'CUSTOMER', reason: 'no longer wanted' },
        customerActor(revoked.customerRef!, TEST_TENANT),
      );
      assert.deepEqual(await outcome(ctx, request(partnerFor(app, revoked))), { status: 403, code: 'CONSENT_NOT_AUTHORISED' });
      // A client-credentials token carries no consent: it cannot read a customer's data.
      assert.deepEqual(await outcome(ctx, request(partnerFor(app, null))), { status: 403, code: 'CONSENT_NOT_AUTHORISED' });
    });

    it('4. refuses an expired consent at request time with 403 CONSENT_EXPIRED (never a 500), with no job having run', async () => {
      const consent = await authorised({ expiresAt: new Date(clock.now().getTime() + HOUR).toISOString() });
      assert.equal((await outcome(ctx, request(partnerFor(app, consent)))).code, 'OK');
      clock.advance(HOUR);
      // Expiry instant itself: expired (expires_at <= now). The stored row still says Authorised.
      assert.deepEqual(await outcome(ctx, request(partnerFor(app, consent))), { status: 403, code: 'CONSENT_EXPIRED' });
      const stored = await ctx.db.kysely.selectFrom('consents').select('status').where('id', '=', consent.id).executeTakeFirstOrThrow();
      assert.equal(stored.status, 'Authorised');
      // Check 4 comes before check 5: an expired consent asked for a scope it lacks is still "expired".
      assert.deepEqual(await outcome(ctx, request(partnerFor(app, consent), { scope: 'payments.write' })), { status: 403, code: 'CONSENT_EXPIRED' });
      clock.set(NOW);
    });

    it('5. refuses a scope the consent or the token lacks (SCOPE_NOT_GRANTED) and an account the customer did not select (ACCOUNT_NOT_IN_CONSENT)', async () => {
      const consent = await authorised();
      assert.deepEqual(await outcome(ctx, request(partnerFor(app, consent), { scope: 'payments.write' })), { status: 403, code: 'SCOPE_NOT_GRANTED' });
      assert.deepEqual(await outcome(ctx, request(partnerFor(app, consent, { scopes: ['accounts.read'] }))), { status: 403, code: 'SCOPE_NOT_GRANTED' });
      assert.deepEqual(await outcome(ctx, request(partnerFor(app, consent), { accountId: accounts[1]! })), { status: 403, code: 'ACCOUNT_NOT_IN_CONSENT' });
      assert.deepEqual(
        (await logOf(consent.id)).map((r) => r.reason),
        ['SCOPE_NOT_GRANTED', 'SCOPE_NOT_GRANTED', 'ACCOUNT_NOT_IN_CONSENT'],
      );
    });

    it('6. limits unattended calls per bank day (429 FREQUENCY_LIMIT with Retry-After to the next bank day); customer-present calls are exempt', async () => {
      const consent = await authorised({ frequencyPerDay: 2 });
      const unattended = () => outcome(ctx, request(partnerFor(app, consent)));
      assert.equal((await unattended()).code, 'OK');
      assert.equal((await unattended()).code, 'OK');
      // 09:00 UTC = 12:00 EAT: the bank day ends in 12 hours (21:00 UTC).
      assert.deepEqual(await unattended(), { status: 429, code: 'FREQUENCY_LIMIT', retryAfter: String(12 * 3600) });
      assert.equal((await outcome(ctx, request(partnerFor(app, consent, { customerPresent: true })))).code, 'OK');
      // A scope failure is reported before the frequency (check 5 before check 6) and counts nothing.
      assert.equal((await outcome(ctx, request(partnerFor(app, consent), { scope: 'payments.write' }))).code, 'SCOPE_NOT_GRANTED');
      // 21:00 UTC is midnight in Nairobi: a new bank day, a new count.
      clock.set('2026-11-20T21:00:00.000Z');
      assert.equal((await unattended()).code, 'OK');
      clock.set(NOW);
      const usage = await ctx.db.kysely.selectFrom('consent_usage').selectAll().where('consent_id', '=', consent.id).orderBy('day').execute();
      assert.deepEqual(
        usage.map((u) => [u.day, Number(u.count)]),
        [
          ['2026-11-20', 2],
          ['2026-11-21', 1],
        ],
      );
      const log = await logOf(consent.id);
      assert.equal(log.length, 6, 'one access record per checked request');
      assert.deepEqual(log[2], { decision: 'DENY', reason: 'FREQUENCY_LIMIT', status_code: 429 });
    });

    it('counts without races: 50 concurrent unattended requests against a limit of 7 allow exactly 7', async () => {
      const consent = await authorised({ frequencyPerDay: 7 });
      const results = await Promise.all(Array.from({ length: 50 }, () => outcome(ctx, request(partnerFor(app, consent)))));
      assert.equal(results.filter((r) => r.code === 'OK').length, 7);
      assert.equal(results.filter((r) => r.status === 429 && r.code === 'FREQUENCY_LIMIT').length, 43);
      const usage = await ctx.db.kysely.selectFrom('consent_usage').select('count').where('consent_id', '=', consent.id).executeTakeFirstOrThrow();
      assert.equal(Number(usage.count), 7);
      const log = await logOf(consent.id);
      assert.equal(log.filter((r) => r.decision === 'ALLOW').length, 7);
      assert.equal(log.filter((r) => r.reason === 'FREQUENCY_LIMIT').length, 43);
    });

    it('reaches tokens already issued: after a revocation the next request is refused and the grant can mint no more tokens', async () => {
      const consent = await authorised();
      const grantId = `grant-${consent.id}`;
      for (const [model, id, grant] of [
        ['AccessToken', `at-${consent.id}`, grantId],
        ['RefreshToken', `rt-${consent.id}`, grantId],
        ['Grant', grantId, null],
        ['AccessToken', `at-other-${consent.id}`, 'another-grant'],
      ] as const) {
        await ctx.db.kysely
          .insertInto('oidc_store')
          .values({ model, id, payload: JSON.stringify({ grantId: grant }), grant_id: grant, user_code: null, uid: null, expires_at: null, consumed_at: null })
          .execute();
      }
      assert.equal((await outcome(ctx, request(partnerFor(app, consent)))).code, 'OK');
      await ctx.bus.execute(
        revokeConsent,
        { consentId: consent.id, by: 'BANK', reason: 'suspicious use' },
        { kind: 'system', id: 'system', name: 's', role: 'SYSTEM', tenants: 'ALL' },
      );
      // The same token (PartnerCaller) as before: refused at once.
      assert.deepEqual(await outcome(ctx, request(partnerFor(app, consent))), { status: 403, code: 'CONSENT_NOT_AUTHORISED' });
      // The refresh token and the grant are gone (nothing new can be minted); the issued access
      // token stays until its 10 minutes end, and the check above already refuses it with the reason.
      const left = await ctx.db.kysely.selectFrom('oidc_store').select('id').where('id', 'like', `%${consent.id}`).orderBy('id').execute();
      assert.deepEqual(
        left.map((r) => r.id),
        [`at-${consent.id}`, `at-other-${consent.id}`],
      );
    });

    it('refuses the token of another customer on the consent', async () => {
      const consent = await authorised();
      assert.deepEqual(await outcome(ctx, request(partnerFor(app, { id: consent.id, customerRef: 'CIF-SOMEONE-ELSE' }))), {
        status: 403,
        code: 'CONSENT_NOT_AUTHORISED',
      });
    });

    it('records a request refused before any consent check (bad token, suspended app)', async () => {
      await recordRefusedRequest(
        { db: ctx.db, clock },
        {
          appId: app.id,
          tenantId: TEST_TENANT,
          method: 'GET',
          endpoint: '/open-banking/v1/accounts',
          path: '/open-banking/v1/accounts',
          reason: 'APP_SUSPENDED',
          statusCode: 401,
          requestId: 'req-1',
          customerPresent: false,
        },
      );
      const row = await ctx.db.kysely.selectFrom('consent_access_log').selectAll().where('request_id', '=', 'req-1').executeTakeFirstOrThrow();
      assert.equal(row.decision, 'DENY');
      assert.equal(row.reason, 'APP_SUSPENDED');
      assert.equal(row.status_code, 401);
      assert.equal(row.consent_id, null);
    });
  });
}
