import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS, stopTestPostgres } from '../testing/databases.ts';
import { addTestTeam, startTestService, TEST_TENANT, type TestService } from '../testing/service.ts';
import { ManualClock } from '../clock.ts';
import type { ServiceContext } from '../context.ts';
import { ConsentAccessPage, ConsentPage, ConsentReviewItem, ConsentView, type ObAppWithSecret } from '../../../shared/src/open-banking.ts';
import { checkConsentAccess } from './check.ts';
import { authoriseConsent, createConsent, revokeConsent } from './commands.ts';
import { addAccounts, appActor, authorise, newConsent, partnerFor, registerApp, subscribe, suspendApp } from './consent-fixture.ts';
import { customerActor } from './mapping.ts';
import { ServiceError } from '../errors.ts';

after(stopTestPostgres);

const NOW = '2026-11-20T09:00:00.000Z';
const HOUR = 3_600_000;
const OTHER_TENANT = 'WEKEZA-UG';

const fieldsOf = (error: unknown) => (error instanceof ServiceError ? (error.fields ?? []).map((f) => f.path) : []);
async function refusal(promise: Promise<unknown>): Promise<{ status: number; code: string; fields: string[] }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ServiceError) return { status: error.status, code: error.code, fields: fieldsOf(error) };
    throw error;
  }
  assert.fail('expected a refusal');
}

for (const dialect of DIALECTS) {
  describe(`consent lifecycle and register on ${dialect}`, { timeout: 300_000 }, () => {
    let svc: TestService;
    let ctx: ServiceContext;
    let clock: ManualClock;
    let app: ObAppWithSecret;
    let tokens: Record<string, string>;
    let n = 0;
    const newCustomer = async () => {
      const ref = `CIF-LIFE-${dialect}-${++n}`;
      return { ref, accounts: await addAccounts(ctx, TEST_TENANT, ref, [`${ref}-1`, `${ref}-2`]) };
    };

    before(async () => {
      clock = new ManualClock(NOW);
      svc = await startTestService(dialect, { clock });
      ctx = svc.service.context;
      app = await registerApp(ctx, TEST_TENANT, 'Pesa Budget', ['accounts.read', 'balances.read', 'transactions.read']);
      ({ tokens } = await addTestTeam(svc, [
        ['wanjiru.njoroge', 'COMPLIANCE_OFFICER', [TEST_TENANT]],
        ['okello.ug', 'COMPLIANCE_OFFICER', [OTHER_TENANT]],
        ['grace.achieng', 'AUDITOR', [TEST_TENANT]],
        ['amina.otieno', 'FRAUD_ANALYST', [TEST_TENANT]],
      ]));
    });
    after(async () => svc?.stop());
    const officer = () => tokens['wanjiru.njoroge']!;

    it('refuses at creation a past expiry, an empty transaction window and scopes the app was not registered for (400 naming the field)', async () => {
      const create = (input: Record<string, unknown>) =>
        ctx.bus.execute(createConsent, { appId: app.id, permissions: ['accounts.read'], ...input }, appActor(app));
      assert.deepEqual(await refusal(create({ expiresAt: '2026-11-20T08:59:59.000Z' })), {
        status: 400,
        code: 'VALIDATION_FAILED',
        fields: ['body.expiresAt'],
      });
      assert.deepEqual(await refusal(create({ expiresAt: NOW })), { status: 400, code: 'VALIDATION_FAILED', fields: ['body.expiresAt'] });
      assert.deepEqual(await refusal(create({ transactionFrom: '2026-10-01T00:00:00Z', transactionTo: '2026-10-01T00:00:00Z' })), {
        status: 400,
        code: 'VALIDATION_FAILED',
        fields: ['body.transactionTo'],
      });
      assert.deepEqual(await refusal(create({ permissions: ['accounts.read', 'payments.write'] })), {
        status: 400,
        code: 'VALIDATION_FAILED',
        fields: ['body.permissions.1'],
      });
      assert.deepEqual(await refusal(create({ frequencyPerDay: 0 })), { status: 400, code: 'VALIDATION_FAILED', fields: ['body.frequencyPerDay'] });
      // Another app cannot ask in this app's name.
      const other = await registerApp(ctx, TEST_TENANT, 'Impostor');
      assert.equal((await refusal(ctx.bus.execute(createConsent, { appId: app.id, permissions: ['accounts.read'] }, appActor(other)))).status, 404);
      const ok = await create({ expiresAt: '2026-12-20T09:00:00.000Z', frequencyPerDay: 10 });
      assert.equal(ok.status, 'AwaitingAuthorisation');
      assert.equal(ok.frequencyPerDay, 10);
      assert.equal(ok.recurring, false);
    });

    it('authorises only accounts of the customer, and refuses after an hour of waiting (AUTHORISATION_TIMEOUT)', async () => {
      const { ref, accounts } = await newCustomer();
      const stranger = await newCustomer();
      const consent = await newConsent(ctx, app, { permissions: ['accounts.read'] });
      assert.deepEqual((await refusal(authorise(ctx, consent, ref, [accounts[0]!, stranger.accounts[0]!]))).fields, ['body.accountIds.1']);
      // A customer acts only as themselves.
      assert.equal(
        (
          await refusal(
            ctx.bus.execute(
              authoriseConsent,
              { consentId: consent.id, customerRef: ref, accountIds: [accounts[0]!], grantId: 'g' },
              customerActor(stranger.ref, TEST_TENANT),
            ),
          )
        ).status,
        403,
      );
      const late = await newConsent(ctx, app, { permissions: ['accounts.read'] });
      clock.advance(HOUR + 1000);
      const timedOut = await authorise(ctx, late, ref, [accounts[0]!]);
      assert.equal(timedOut.status, 'Rejected');
      assert.equal(timedOut.statusReason, 'AUTHORISATION_TIMEOUT');
      clock.set(NOW);
      const done = await authorise(ctx, consent, ref, [accounts[0]!]);
      assert.equal(done.status, 'Authorised');
      assert.equal(done.customerRef, ref);
      assert.deepEqual(
        done.accounts.map((a) => a.id),
        [accounts[0]],
      );
      assert.equal((await refusal(authorise(ctx, consent, ref, [accounts[0]!]))).status, 409);
    });

    it('ends the older recurring consent of the same app, customer and permissions (SUPERSEDED, consent.revoked webhook), and only that one', async () => {
      await subscribe(ctx, app, 'https://hooks.pesa.example/wekeza');
      const { ref, accounts } = await newCustomer();
      const perms = { permissions: ['transactions.read', 'accounts.read'] as const, recurring: true };
      const older = await authorise(ctx, await newConsent(ctx, app, { ...perms, permissions: [...perms.permissions] }), ref, [accounts[0]!]);
      const otherPerms = await authorise(ctx, await newConsent(ctx, app, { permissions: ['accounts.read'], recurring: true }), ref, [accounts[0]!]);
      const oneOff = await authorise(ctx, await newConsent(ctx, app, { permissions: ['accounts.read', 'transactions.read'] }), ref, [accounts[0]!]);
      const newer = await authorise(ctx, await newConsent(ctx, app, { permissions: ['accounts.read', 'transactions.read'], recurring: true }), ref, [
        accounts[1]!,
      ]);
      assert.equal(newer.status, 'Authorised');
      const get = async (id: string) => ConsentView.parse((await svc.request('GET', `/api/v1/consents/${id}`, { token: officer() })).body);
      const ended = await get(older.id);
      assert.equal(ended.status, 'Revoked');
      assert.equal(ended.statusReason, 'SUPERSEDED');
      assert.equal((await get(otherPerms.id)).status, 'Authorised');
      assert.equal((await get(oneOff.id)).status, 'Authorised');
      const deliveries = await ctx.db.kysely.selectFrom('webhook_deliveries').select(['event_type', 'payload']).where('entity_id', '=', older.id).execute();
      assert.equal(deliveries.length, 1);
      assert.equal(deliveries[0]!.event_type, 'consent.revoked');
      const payload = (typeof deliveries[0]!.payload === 'string' ? JSON.parse(deliveries[0]!.payload) : deliveries[0]!.payload) as {
        data: Record<string, unknown>;
      };
      assert.equal(payload.data.consentId, older.id);
      assert.equal(payload.data.reason, 'SUPERSEDED');
    });

    it('applies expiry at read time: the register shows Expired and filters on it with no job having run', async () => {
      const { ref, accounts } = await newCustomer();
      const consent = await authorise(ctx, await newConsent(ctx, app, { permissions: ['balances.read'], expiresAt: '2026-11-20T09:30:00.000Z' }), ref, [
        accounts[0]!,
      ]);
      const list = async (query: string) =>
        ConsentPage.parse((await svc.request('GET', `/api/v1/consents?customer=${encodeURIComponent(ref)}&${query}`, { token: officer() })).body);
      assert.deepEqual(
        (await list('status=Authorised')).items.map((c) => c.id),
        [consent.id],
      );
      // Half an hour later (sessions outlive it; no job runs meanwhile).
      clock.advance(30 * 60_000);
      assert.deepEqual((await list('status=Authorised')).items, []);
      const expired = await list('status=Expired');
      assert.deepEqual(
        expired.items.map((c) => [c.id, c.status, c.statusReason, c.statusChangedAt]),
        [[consent.id, 'Expired', 'EXPIRED', '2026-11-20T09:30:00.000Z']],
      );
      // An expired consent cannot be revoked (409), and reading it is never a 500.
      const revoke = await svc.request('POST', `/api/v1/consents/${consent.id}/revoke`, { token: officer(), body: { reason: 'tidy up' } });
      assert.equal(revoke.status, 409);
      clock.set(NOW);
    });

    it('revokes on the bank’s behalf over HTTP: the app’s next call is refused, and only officers of the consent’s tenant may', async () => {
      const { ref, accounts } = await newCustomer();
      const consent = await authorise(ctx, await newConsent(ctx, app, { permissions: ['accounts.read'] }), ref, [accounts[0]!]);
      const path = `/api/v1/consents/${consent.id}/revoke`;
      assert.equal((await svc.request('POST', path, { token: tokens['grace.achieng']!, body: { reason: 'auditors may not' } })).status, 403);
      assert.equal((await svc.request('POST', path, { token: tokens['amina.otieno']!, body: { reason: 'analysts may not' } })).status, 403);
      assert.equal((await svc.request('POST', path, { token: tokens['okello.ug']!, body: { reason: 'not my tenant' } })).status, 404);
      const noReason = await svc.request('POST', path, { token: officer(), body: { reason: '' } });
      assert.equal(noReason.status, 400);
      assert.equal((await svc.request('POST', path, { token: officer(), body: { reason: 'stale', expectedVersion: 1 } })).status, 409);
      const res = await svc.request('POST', path, {
        token: officer(),
        body: { reason: 'Customer reported the app as fraudulent', expectedVersion: consent.version },
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const revoked = ConsentView.parse(res.body);
      assert.equal(revoked.status, 'Revoked');
      assert.equal(revoked.statusReason, 'REVOKED_BY_BANK');
      assert.equal(revoked.statusNote, 'Customer reported the app as fraudulent');
      assert.equal(revoked.statusChangedByName, 'Wanjiru Njoroge', 'the officer by name, not by id');
      const next = await checkConsentAccess(
        { db: ctx.db, clock },
        {
          partner: partnerFor(app, consent),
          method: 'GET',
          endpoint: '/open-banking/v1/accounts',
          path: '/open-banking/v1/accounts',
          requestId: null,
          scope: 'accounts.read',
        },
      ).catch((e: unknown) => e);
      assert.ok(next instanceof ServiceError && next.status === 403 && next.code === 'CONSENT_NOT_AUTHORISED');
      assert.equal((await svc.request('POST', path, { token: officer(), body: { reason: 'again' } })).status, 409);
      const audit = await ctx.db.kysely
        .selectFrom('audit_log')
        .select(['command', 'actor_role'])
        .where('entity_id', '=', consent.id)
        .orderBy('occurred_at')
        .execute();
      assert.deepEqual(
        audit.map((a) => a.command),
        ['consent.create', 'consent.authorise', 'consent.revoke'],
      );
    });

    it('lets the app revoke only its own consents and the customer only theirs (404 otherwise)', async () => {
      const { ref, accounts } = await newCustomer();
      const other = await registerApp(ctx, TEST_TENANT, 'Another App');
      const consent = await authorise(ctx, await newConsent(ctx, app, { permissions: ['accounts.read'] }), ref, [accounts[0]!]);
      const revoke = (by: 'APP' | 'CUSTOMER', actor: Parameters<typeof ctx.bus.execute>[2]) =>
        ctx.bus.execute(revokeConsent, { consentId: consent.id, by, reason: 'ending it' }, actor);
      assert.equal((await refusal(revoke('APP', appActor(other)))).status, 404);
      assert.equal((await refusal(revoke('CUSTOMER', customerActor('CIF-NOT-THEM', TEST_TENANT)))).status, 404);
      // An app cannot claim to be the bank.
      assert.equal((await refusal(ctx.bus.execute(revokeConsent, { consentId: consent.id, by: 'BANK', reason: 'pretending' }, appActor(app)))).status, 403);
      const byApp = await revoke('APP', appActor(app));
      assert.equal(byApp.statusReason, 'REVOKED_BY_APP');
      assert.equal(byApp.statusChangedBy, `app:${app.id}`);
      assert.equal(byApp.statusChangedByName, `the app (${app.name})`);
    });

    it('lists the register with filters and paging, never another tenant’s consents', async () => {
      const ugApp = await registerApp(ctx, OTHER_TENANT, 'Kampala Wallet');
      const ugRef = 'CIF-UG-SECRET-1';
      const ugAccounts = await addAccounts(ctx, OTHER_TENANT, ugRef, ['UG-ACC-1']);
      const ug = await ctx.bus.execute(createConsent, { appId: ugApp.id, permissions: ['accounts.read'] }, appActor(ugApp));
      await authorise(ctx, ug, ugRef, ugAccounts);
      const all = ConsentPage.parse((await svc.request('GET', '/api/v1/consents?pageSize=500', { token: officer() })).body);
      assert.ok(all.total > 0);
      assert.ok(!JSON.stringify(all).includes(ugRef));
      assert.ok(all.items.every((c) => c.tenantId === TEST_TENANT));
      const ugList = ConsentPage.parse((await svc.request('GET', '/api/v1/consents', { token: tokens['okello.ug']! })).body);
      assert.deepEqual(
        ugList.items.map((c) => c.id),
        [ug.id],
      );
      assert.equal((await svc.request('GET', `/api/v1/consents/${ug.id}`, { token: officer() })).status, 404);
      assert.equal((await svc.request('GET', `/api/v1/consents/${ug.id}/access-log`, { token: officer() })).status, 404);
      const byScope = ConsentPage.parse((await svc.request('GET', '/api/v1/consents?scope=balances.read&pageSize=500', { token: officer() })).body);
      assert.ok(byScope.items.length > 0 && byScope.items.every((c) => c.permissions.includes('balances.read')));
      const byApp = ConsentPage.parse((await svc.request('GET', `/api/v1/consents?appId=${app.id}&pageSize=2&page=1`, { token: officer() })).body);
      assert.equal(byApp.items.length, 2);
      assert.ok(byApp.items.every((c) => c.appId === app.id && c.appName === 'Pesa Budget'));
      const byExpiry = ConsentPage.parse(
        (await svc.request('GET', '/api/v1/consents?expiresAfter=2026-11-20T09:00:00Z&expiresBefore=2026-11-20T10:00:00Z', { token: officer() })).body,
      );
      assert.ok(
        byExpiry.items.length > 0 && byExpiry.items.every((c) => c.expiresAt !== null && c.expiresAt >= '2026-11-20T09' && c.expiresAt < '2026-11-20T10'),
      );
      // The auditor reads the register; the fraud analyst does not.
      assert.equal((await svc.request('GET', '/api/v1/consents', { token: tokens['grace.achieng']! })).status, 200);
      assert.equal((await svc.request('GET', '/api/v1/consents', { token: tokens['amina.otieno']! })).status, 403);
    });

    it('shows the access log newest first with a decision filter, and usage today on the consent', async () => {
      const { ref, accounts } = await newCustomer();
      const consent = await authorise(ctx, await newConsent(ctx, app, { permissions: ['accounts.read'], frequencyPerDay: 4 }), ref, [accounts[0]!]);
      const call = (extra: { scope?: 'accounts.read' | 'balances.read'; present?: boolean } = {}) =>
        checkConsentAccess(
          { db: ctx.db, clock },
          {
            partner: partnerFor(app, consent, { customerPresent: extra.present ?? false }),
            method: 'GET',
            endpoint: '/open-banking/v1/accounts',
            path: '/open-banking/v1/accounts',
            requestId: null,
            scope: extra.scope ?? 'accounts.read',
          },
        ).catch(() => null);
      for (const extra of [{}, {}, { present: true }, { scope: 'balances.read' as const }, {}]) {
        await call(extra);
        clock.advance(1000);
      }
      const log = ConsentAccessPage.parse((await svc.request('GET', `/api/v1/consents/${consent.id}/access-log`, { token: officer() })).body);
      assert.equal(log.total, 5);
      assert.deepEqual(
        log.items.map((e) => [e.decision, e.reason, e.customerPresent]),
        [
          ['ALLOW', 'OK', false],
          ['DENY', 'SCOPE_NOT_GRANTED', false],
          ['ALLOW', 'OK', true],
          ['ALLOW', 'OK', false],
          ['ALLOW', 'OK', false],
        ],
      );
      const denied = ConsentAccessPage.parse((await svc.request('GET', `/api/v1/consents/${consent.id}/access-log?decision=DENY`, { token: officer() })).body);
      assert.equal(denied.total, 1);
      const view = ConsentView.parse((await svc.request('GET', `/api/v1/consents/${consent.id}`, { token: officer() })).body);
      assert.equal(view.usedToday, 3);
      assert.equal(view.lastAccessAt, new Date(clock.now().getTime() - 1000).toISOString());
      clock.set(NOW);
    });

    it('queues consents to review: expiring soon, near the daily limit, app suspended, refused calls today', async () => {
      const reviewApp = await registerApp(ctx, TEST_TENANT, 'Review Me');
      const { ref, accounts } = await newCustomer();
      const expiring = await authorise(ctx, await newConsent(ctx, reviewApp, { permissions: ['accounts.read'], expiresAt: '2026-11-23T09:00:00.000Z' }), ref, [
        accounts[0]!,
      ]);
      const busy = await authorise(ctx, await newConsent(ctx, reviewApp, { permissions: ['accounts.read'], frequencyPerDay: 4 }), ref, [accounts[0]!]);
      const refused = await authorise(ctx, await newConsent(ctx, reviewApp, { permissions: ['accounts.read'] }), ref, [accounts[0]!]);
      const quiet = await authorise(ctx, await newConsent(ctx, reviewApp, { permissions: ['accounts.read'], frequencyPerDay: 100 }), ref, [accounts[0]!]);
      const req = (consent: ConsentView, scope: 'accounts.read' | 'payments.write') =>
        checkConsentAccess(
          { db: ctx.db, clock },
          {
            partner: partnerFor(reviewApp, consent),
            method: 'GET',
            endpoint: '/open-banking/v1/accounts',
            path: '/open-banking/v1/accounts',
            requestId: null,
            scope,
          },
        ).catch(() => null);
      for (let i = 0; i < 3; i++) await req(busy, 'accounts.read');
      await req(quiet, 'accounts.read');
      await req(refused, 'payments.write');
      const review = async () =>
        ConsentReviewItem.array()
          .parse((await svc.request('GET', '/api/v1/consents/review?expiringWithinDays=7', { token: officer() })).body)
          .filter((item) => item.consent.appId === reviewApp.id);
      const reasons = (items: ConsentReviewItem[]) => Object.fromEntries(items.map((i) => [i.consent.id, i.reasons.map((r) => r.reason).sort()]));
      assert.deepEqual(reasons(await review()), {
        [expiring.id]: ['EXPIRING_SOON'],
        [busy.id]: ['NEAR_FREQUENCY_LIMIT'],
        [refused.id]: ['REFUSED_CALLS'],
      });
      await suspendApp(ctx, reviewApp.id);
      const suspended = reasons(await review());
      assert.deepEqual(suspended[quiet.id], ['APP_SUSPENDED']);
      assert.deepEqual(suspended[busy.id], ['APP_SUSPENDED', 'NEAR_FREQUENCY_LIMIT']);
      assert.equal((await svc.request('GET', '/api/v1/consents/review', { token: tokens['okello.ug']! })).status, 200);
      assert.ok(!JSON.stringify((await svc.request('GET', '/api/v1/consents/review', { token: tokens['okello.ug']! })).body).includes(reviewApp.id));
    });

    it('announces consent.changed and writes audit and change rows for every state change', async () => {
      const { ref, accounts } = await newCustomer();
      const consent = await newConsent(ctx, app, { permissions: ['accounts.read'] });
      const heard: string[] = [];
      const listener = (a: { event: string; payload: unknown }) => {
        if (a.event === 'consent.changed') heard.push((a.payload as { status: string }).status);
      };
      ctx.bus.events.on('announce', listener);
      await authorise(ctx, consent, ref, [accounts[0]!]);
      await ctx.bus.execute(revokeConsent, { consentId: consent.id, by: 'CUSTOMER', reason: 'done with it' }, customerActor(ref, TEST_TENANT));
      ctx.bus.events.off('announce', listener);
      assert.deepEqual(heard, ['Authorised', 'Revoked']);
      const changes = await ctx.db.kysely
        .selectFrom('change_log')
        .select(['entity_type', 'version'])
        .where('entity_id', '=', consent.id)
        .orderBy('seq')
        .execute();
      assert.deepEqual(
        changes.map((c) => [c.entity_type, c.version]),
        [
          ['consent', 1],
          ['consent', 2],
          ['consent', 3],
        ],
      );
    });
  });
}
