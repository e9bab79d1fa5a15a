// The consent register on a workstation (issue 14 with issue 12's sync): a compliance officer's
// consents arrive with the first sync (their tenants only, apps without secrets), are listed,
// read and reviewed from the cache, and a revocation made offline runs locally and reaches the
// hub once when it is back — where it ends the app's access and tells the app by webhook.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS, stopTestPostgres } from '../testing/databases.ts';
import { addTestTeam, startTestService, type TestService } from '../testing/service.ts';
import { HubLink, startTestWorkstation, waitFor, type TestWorkstation } from '../testing/workstation.ts';
import { ServiceError } from '../errors.ts';
import { ConsentPage, ConsentReviewItem, ConsentView } from '../../../shared/src/open-banking.ts';
import { SyncConflictList } from '../../../shared/src/sync.ts';
import { revokeConsent } from '../consents/commands.ts';
import { checkConsentAccess } from '../consents/check.ts';
import { addAccounts, appActor, authorise, newConsent, partnerFor, registerApp, subscribe } from '../consents/consent-fixture.ts';

after(stopTestPostgres);

const ok = (res: { status: number; body: unknown }, status = 200) => {
  assert.equal(res.status, status, JSON.stringify(res.body));
  return res.body;
};

for (const dialect of DIALECTS) {
  describe(`the consent register on a workstation of a ${dialect} hub`, { timeout: 240_000 }, () => {
    let hub: TestService;
    let ws: TestWorkstation;
    const link = new HubLink();
    let ids: Record<string, string> = {};
    let tokens: Record<string, string> = {};
    let wsToken: string;
    let keConsent: ConsentView;
    let busyConsent: ConsentView;
    let ugConsent: ConsentView;
    let appId: string;

    before(async () => {
      hub = await startTestService(dialect);
      const ctx = hub.service.context;
      ({ ids, tokens } = await addTestTeam(hub, [['wanjiru.njoroge', 'COMPLIANCE_OFFICER', ['WEKEZA-KE']]]));
      const app = await registerApp(ctx, 'WEKEZA-KE', 'Pesa Budget');
      appId = app.id;
      await subscribe(ctx, app, 'https://hooks.pesa.example/wekeza');
      const ugApp = await registerApp(ctx, 'WEKEZA-UG', 'Kampala Wallet');
      const keAccounts = await addAccounts(ctx, 'WEKEZA-KE', 'CIF-SYNC-KE-1', ['KE-SYNC-001', 'KE-SYNC-002']);
      const ugAccounts = await addAccounts(ctx, 'WEKEZA-UG', 'CIF-SYNC-UG-1', ['UG-SYNC-001']);
      keConsent = await authorise(ctx, await newConsent(ctx, app, { permissions: ['accounts.read', 'transactions.read'] }), 'CIF-SYNC-KE-1', [keAccounts[0]!]);
      busyConsent = await authorise(ctx, await newConsent(ctx, app, { permissions: ['accounts.read'], frequencyPerDay: 4 }), 'CIF-SYNC-KE-1', [keAccounts[1]!]);
      ugConsent = await authorise(ctx, await newConsent(ctx, ugApp, { permissions: ['accounts.read'] }), 'CIF-SYNC-UG-1', ugAccounts);
      // Three unattended calls of four today: the consent is near its limit (review queue), counted before the first sync.
      for (let i = 0; i < 3; i++) {
        await checkConsentAccess(
          { db: ctx.db, clock: ctx.clock },
          {
            partner: partnerFor(app, busyConsent),
            method: 'GET',
            endpoint: '/open-banking/v1/accounts',
            path: '/open-banking/v1/accounts',
            requestId: null,
            scope: 'accounts.read',
          },
        );
      }
      ws = await startTestWorkstation(hub.url, { transport: link.transport });
      wsToken = (await ws.login('wanjiru.njoroge', 'Test-User-Password-2026')).token;
      await ws.waitFor(wsToken, (s) => s.initialSync === null && s.lastSyncAt !== null && s.pendingMutations === 0, 30_000);
    });

    after(async () => {
      await ws?.stop();
      await hub?.stop();
    });

    it("holds the officer's tenants' consents from the first sync, apps without secrets, and answers offline from the cache", async () => {
      link.up = false;
      try {
        const listed = ConsentPage.parse(ok(await ws.request('GET', '/api/v1/consents', { token: wsToken })));
        assert.deepEqual(
          listed.items.map((c) => c.id).sort(),
          [keConsent.id, busyConsent.id].sort(),
          "the other tenant's consent never reaches this workstation",
        );
        const local = ws.service.context.db.kysely;
        assert.equal(await local.selectFrom('consents').select('id').where('id', '=', ugConsent.id).executeTakeFirst(), undefined);
        const apps = await local.selectFrom('ob_apps').select(['id', 'tenant_id', 'secret_sealed', 'previous_secret_sealed']).execute();
        assert.deepEqual(
          apps.map((a) => [a.id, a.tenant_id, a.secret_sealed, a.previous_secret_sealed]),
          [[appId, 'WEKEZA-KE', '', null]],
          'only the tenant’s app, and never its secret',
        );
        const detail = ConsentView.parse(ok(await ws.request('GET', `/api/v1/consents/${keConsent.id}`, { token: wsToken })));
        assert.equal(detail.appName, 'Pesa Budget');
        assert.deepEqual(
          detail.accounts.map((a) => a.accountNumber),
          ['KE-SYNC-001'],
        );
        assert.equal(detail.status, 'Authorised');
        const review = ConsentReviewItem.array().parse(ok(await ws.request('GET', '/api/v1/consents/review', { token: wsToken })));
        assert.deepEqual(
          review.map((r) => [r.consent.id, r.reasons.map((x) => x.reason)]),
          [[busyConsent.id, ['NEAR_FREQUENCY_LIMIT']]],
        );
        // The access log is the hub's: offline it answers "needs the hub".
        const log = await ws.request('GET', `/api/v1/consents/${keConsent.id}/access-log`, { token: wsToken });
        assert.equal(log.status, 503);
        assert.equal((log.body as { error: { code: string } }).error.code, 'HUB_UNAVAILABLE');
      } finally {
        link.up = true;
      }
    });

    it('revokes offline; the hub applies it once as the officer, ends the app’s access and sends consent.revoked', async () => {
      link.up = false;
      const revoked = ConsentView.parse(
        ok(
          await ws.request('POST', `/api/v1/consents/${keConsent.id}/revoke`, {
            token: wsToken,
            body: { reason: 'Customer called the branch: they never use this app', expectedVersion: keConsent.version },
          }),
        ),
      );
      assert.equal(revoked.status, 'Revoked');
      assert.equal(revoked.statusReason, 'REVOKED_BY_BANK');
      const pending = await ws.service.context.db.kysely
        .selectFrom('sync_outbox')
        .select(['command', 'status', 'entity_type', 'entity_id'])
        .orderBy('seq')
        .execute();
      assert.deepEqual(
        pending.map((p) => [p.command, p.status, p.entity_type, p.entity_id]),
        [['consent.revoke', 'pending', 'consent', keConsent.id]],
      );
      // Nothing happened at the hub yet: the app's calls still pass there.
      const hubCtx = hub.service.context;
      const call = () =>
        checkConsentAccess(
          { db: hubCtx.db, clock: hubCtx.clock },
          {
            partner: partnerFor({ id: appId, clientId: 'x', tenantId: 'WEKEZA-KE' }, keConsent, { customerPresent: true }),
            method: 'GET',
            endpoint: '/open-banking/v1/accounts',
            path: '/open-banking/v1/accounts',
            requestId: null,
            scope: 'accounts.read',
          },
        ).then(
          () => 'OK',
          (e: unknown) => (e instanceof ServiceError ? e.code : 'ERROR'),
        );
      assert.equal(await call(), 'OK');

      link.up = true;
      const synced = await ws.waitFor(wsToken, (s) => s.pendingMutations === 0 && s.online, 30_000);
      assert.equal(synced.rejectedMutations, 0, JSON.stringify(await ws.request('GET', '/api/v1/sync/conflicts', { token: wsToken })));
      const atHub = ConsentView.parse(ok(await hub.request('GET', `/api/v1/consents/${keConsent.id}`, { token: tokens['wanjiru.njoroge']! })));
      assert.equal(atHub.status, 'Revoked');
      assert.equal(atHub.statusReason, 'REVOKED_BY_BANK');
      assert.equal(atHub.statusChangedBy, ids['wanjiru.njoroge'], 'the actor comes from the token');
      assert.equal(atHub.statusNote, 'Customer called the branch: they never use this app');
      assert.equal(await call(), 'CONSENT_NOT_AUTHORISED');
      const deliveries = await hubCtx.db.kysely.selectFrom('webhook_deliveries').select(['event_type']).where('entity_id', '=', keConsent.id).execute();
      assert.deepEqual(
        deliveries.map((d) => d.event_type),
        ['consent.revoked'],
        'one webhook, from the hub',
      );
    });

    it('records an offline revocation the hub refuses (the app ended the consent first) as a conflict and takes the hub’s row', async () => {
      const ctx = hub.service.context;
      const app = { id: appId, name: 'Pesa Budget', tenantId: 'WEKEZA-KE' };
      const [account] = await addAccounts(ctx, 'WEKEZA-KE', 'CIF-SYNC-KE-3', ['KE-SYNC-201']);
      const consent = await authorise(ctx, await newConsent(ctx, app, { permissions: ['accounts.read'] }), 'CIF-SYNC-KE-3', [account!]);
      const local = await waitFor('the consent on the workstation', async () => {
        const res = await ws.request('GET', `/api/v1/consents/${consent.id}`, { token: wsToken });
        const view = res.status === 200 ? ConsentView.parse(res.body) : null;
        return view?.status === 'Authorised' ? view : null;
      });
      link.up = false;
      ok(
        await ws.request('POST', `/api/v1/consents/${consent.id}/revoke`, {
          token: wsToken,
          body: { reason: 'Offline review', expectedVersion: local.version },
        }),
      );
      await ctx.bus.execute(revokeConsent, { consentId: consent.id, by: 'APP', reason: 'The customer closed their account with us' }, appActor(app));
      link.up = true;
      const synced = await ws.waitFor(wsToken, (s) => s.pendingMutations === 0 && s.online && s.conflicts > 0, 30_000);
      assert.equal(synced.rejectedMutations, 1);
      const conflicts = SyncConflictList.parse(ok(await ws.request('GET', '/api/v1/sync/conflicts', { token: wsToken })));
      const mine = conflicts.items.filter((c) => c.entityId === consent.id);
      assert.deepEqual(
        mine.map((c) => [c.command, c.label, c.kind]),
        [['consent.revoke', 'Consent revocation', 'conflict']],
      );
      const after = ConsentView.parse(ok(await ws.request('GET', `/api/v1/consents/${consent.id}`, { token: wsToken })));
      assert.equal(after.statusReason, 'REVOKED_BY_APP', 'the workstation shows the hub’s revocation, not its own refused one');
    });

    it("brings the hub's later consents and revocations to the workstation", async () => {
      const ctx = hub.service.context;
      const app = { id: appId, name: 'Pesa Budget', tenantId: 'WEKEZA-KE' };
      const [account] = await addAccounts(ctx, 'WEKEZA-KE', 'CIF-SYNC-KE-2', ['KE-SYNC-101']);
      const fresh = await authorise(ctx, await newConsent(ctx, app, { permissions: ['balances.read'] }), 'CIF-SYNC-KE-2', [account!]);
      const local = await waitFor('the new consent on the workstation', async () => {
        const res = await ws.request('GET', `/api/v1/consents/${fresh.id}`, { token: wsToken });
        const view = res.status === 200 ? ConsentView.parse(res.body) : null;
        // The pull may bring the request before its authorisation: wait for the authorised one.
        return view?.status === 'Authorised' ? view : null;
      });
      assert.deepEqual(
        local.accounts.map((a) => a.accountNumber),
        ['KE-SYNC-101'],
      );
      ok(await hub.request('POST', `/api/v1/consents/${fresh.id}/revoke`, { token: tokens['wanjiru.njoroge']!, body: { reason: 'Reported lost phone' } }));
      await waitFor('the revocation on the workstation', async () => {
        const res = ConsentView.parse(ok(await ws.request('GET', `/api/v1/consents/${fresh.id}`, { token: wsToken })));
        return res.status === 'Revoked';
      });
    });
  });
}
