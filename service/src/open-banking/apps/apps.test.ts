import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS, stopTestPostgres } from '../../testing/databases.ts';
import { addTestTeam, startTestService, TEST_TENANT, type TestService } from '../../testing/service.ts';
import { ManualClock } from '../../clock.ts';
import type { ObAppChangedEvent } from '../../../../shared/src/events.ts';
import { openSocket } from '../../testing/sockets.ts';
import { toJson } from '../../db/database.ts';
import { AppUsage, ObAppView, ObAppWithSecret, type RegisterAppRequest } from '../../../../shared/src/open-banking.ts';
import { appClientSecrets, findAppByClientId } from './store.ts';

after(stopTestPostgres);

const NOW = '2026-11-20T12:00:00.000Z';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const OTHER_TENANT = 'WEKEZA-UG';

const fieldsOf = (body: unknown) => (body as { error: { fields?: Array<{ path: string }> } }).error.fields ?? [];

for (const dialect of DIALECTS) {
  describe(`Open Banking apps on ${dialect}`, { timeout: 300_000 }, () => {
    let svc: TestService;
    let clock: ManualClock;
    let tokens: Record<string, string>;
    before(async () => {
      clock = new ManualClock(NOW);
      svc = await startTestService(dialect, { clock });
      ({ tokens } = await addTestTeam(svc, [
        ['faith.wambui', 'RISK_MANAGER', [TEST_TENANT]],
        ['wanjiru.njoroge', 'COMPLIANCE_OFFICER', [TEST_TENANT]],
        ['ug.manager', 'RISK_MANAGER', [OTHER_TENANT]],
      ]));
    });
    after(async () => svc?.stop());

    const admin = () => tokens['faith.wambui']!;
    const body = (overrides: Partial<RegisterAppRequest> = {}): RegisterAppRequest => ({
      tenantId: TEST_TENANT,
      name: 'Pesa Budget',
      kind: 'FINTECH',
      description: 'Budgeting app',
      contactEmail: 'dev@pesabudget.example',
      redirectUris: ['https://pesabudget.example/callback', 'http://127.0.0.1:8765/cb'],
      allowedScopes: ['accounts.read', 'transactions.read'],
      ...overrides,
    });
    const register = async (overrides: Partial<RegisterAppRequest> = {}, token = admin()) => {
      const res = await svc.request('POST', '/api/v1/open-banking/apps', { token, body: body(overrides) });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return ObAppWithSecret.parse(res.body);
    };
    const getApp = async (id: string, token = admin()) => {
      const res = await svc.request('GET', `/api/v1/open-banking/apps/${id}`, { token });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return ObAppView.parse(res.body);
    };
    const box = () => svc.service.context.secrets;
    const row = async (clientId: string) => {
      const found = await findAppByClientId(svc.service.context.db, clientId);
      assert.ok(found, `app ${clientId} exists`);
      return found;
    };

    it('registers an app: a wkz_ client id and a secret answered once, sealed at rest, never shown again', async () => {
      const app = await register();
      assert.match(app.clientId, /^wkz_[0-9a-f]{16}$/);
      assert.equal(Buffer.from(app.clientSecret, 'base64url').length, 32);
      assert.equal(app.secretHint, app.clientSecret.slice(-4));
      assert.equal(app.status, 'ACTIVE');
      assert.equal(app.activeConsents, 0);
      assert.deepEqual(app.allowedScopes, ['accounts.read', 'transactions.read']);

      const stored = await row(app.clientId);
      assert.notEqual(stored.secret_sealed, app.clientSecret);
      assert.ok(!stored.secret_sealed.includes(app.clientSecret));
      assert.deepEqual(appClientSecrets(box(), stored, clock.now()), [app.clientSecret]);
      assert.equal(await findAppByClientId(svc.service.context.db.kysely, 'wkz_0000000000000000'), null);

      // Never again: not in get, list, the audit trail or the change log.
      const seen = [
        (await svc.request('GET', `/api/v1/open-banking/apps/${app.id}`, { token: admin() })).body,
        (await svc.request('GET', '/api/v1/open-banking/apps', { token: tokens['wanjiru.njoroge']! })).body,
        await svc.service.context.db.kysely.selectFrom('audit_log').selectAll().where('entity_id', '=', app.id).execute(),
        await svc.service.context.db.kysely.selectFrom('change_log').selectAll().where('entity_id', '=', app.id).execute(),
      ];
      for (const answer of seen) assert.ok(!JSON.stringify(answer).includes(app.clientSecret), 'the secret does not appear');
      assert.ok(!JSON.stringify(seen[0]).includes('clientSecret'));
      const audit = seen[2] as unknown[];
      assert.equal(audit.length, 1, 'one audit row');
    });

    it('refuses bad input naming the field, another tenant (403) and a compliance officer (403)', async () => {
      const bad = await svc.request('POST', '/api/v1/open-banking/apps', {
        token: admin(),
        body: body({ redirectUris: ['http://evil.example/cb'], allowedScopes: [] }),
      });
      assert.equal(bad.status, 400);
      const paths = fieldsOf(bad.body).map((f) => f.path);
      assert.ok(paths.includes('body.redirectUris.0'), paths.join());
      assert.ok(paths.includes('body.allowedScopes'), paths.join());
      const other = await svc.request('POST', '/api/v1/open-banking/apps', { token: admin(), body: body({ tenantId: OTHER_TENANT }) });
      assert.equal(other.status, 403);
      const officer = await svc.request('POST', '/api/v1/open-banking/apps', { token: tokens['wanjiru.njoroge']!, body: body() });
      assert.equal(officer.status, 403);
    });

    it('updates with the version the caller saw; a stale version is a 409', async () => {
      const app = await register({ name: 'Duka Pay', kind: 'MERCHANT' });
      const first = await svc.request('PATCH', `/api/v1/open-banking/apps/${app.id}`, {
        token: admin(),
        body: { expectedVersion: 1, name: 'Duka Pay Checkout', allowedScopes: ['payments.write', 'accounts.read'] },
      });
      assert.equal(first.status, 200, JSON.stringify(first.body));
      const updated = ObAppView.parse(first.body);
      assert.equal(updated.version, 2);
      assert.equal(updated.name, 'Duka Pay Checkout');
      assert.deepEqual(updated.allowedScopes, ['payments.write', 'accounts.read']);
      assert.equal(updated.description, 'Budgeting app', 'fields not sent stay');
      const stale = await svc.request('PATCH', `/api/v1/open-banking/apps/${app.id}`, { token: admin(), body: { expectedVersion: 1, name: 'Late edit' } });
      assert.equal(stale.status, 409);
      assert.equal((await getApp(app.id)).name, 'Duka Pay Checkout');
    });

    it('suspends and reinstates with a reason, announced to its tenant only; both are refused when already so', async () => {
      const app = await register({ name: 'Copilot', kind: 'COPILOT' });
      const officerSocket = await openSocket(svc.url, tokens['wanjiru.njoroge']!);
      const otherSocket = await openSocket(svc.url, tokens['ug.manager']!);
      const heard: ObAppChangedEvent[] = [];
      const overheard: ObAppChangedEvent[] = [];
      officerSocket.on('ob-app.changed', (e) => heard.push(e));
      otherSocket.on('ob-app.changed', (e) => overheard.push(e));
      const suspended = await svc.request('POST', `/api/v1/open-banking/apps/${app.id}/suspend`, { token: admin(), body: { reason: 'Unusual call volume' } });
      assert.equal(suspended.status, 200, JSON.stringify(suspended.body));
      assert.equal(ObAppView.parse(suspended.body).status, 'SUSPENDED');
      assert.equal(ObAppView.parse(suspended.body).statusReason, 'Unusual call volume');
      assert.equal((await row(app.clientId)).status, 'SUSPENDED', 'what the partner authenticator reads on the next request');
      assert.equal((await svc.request('POST', `/api/v1/open-banking/apps/${app.id}/suspend`, { token: admin(), body: { reason: 'again' } })).status, 409);
      assert.equal((await svc.request('POST', `/api/v1/open-banking/apps/${app.id}/rotate`, { token: admin(), body: { graceMinutes: 60 } })).status, 409);
      const noReason = await svc.request('POST', `/api/v1/open-banking/apps/${app.id}/reinstate`, { token: admin(), body: { reason: '' } });
      assert.equal(noReason.status, 400);
      assert.deepEqual(
        fieldsOf(noReason.body).map((f) => f.path),
        ['body.reason'],
      );
      const reinstated = await svc.request('POST', `/api/v1/open-banking/apps/${app.id}/reinstate`, { token: admin(), body: { reason: 'Volume explained' } });
      assert.equal(reinstated.status, 200);
      assert.equal(ObAppView.parse(reinstated.body).status, 'ACTIVE');
      assert.equal((await svc.request('POST', `/api/v1/open-banking/apps/${app.id}/reinstate`, { token: admin(), body: { reason: 'again' } })).status, 409);
      const officer = await svc.request('POST', `/api/v1/open-banking/apps/${app.id}/suspend`, {
        token: tokens['wanjiru.njoroge']!,
        body: { reason: 'not mine to do' },
      });
      assert.equal(officer.status, 403);
      const deadline = Date.now() + 5000;
      while (heard.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      officerSocket.close();
      otherSocket.close();
      assert.deepEqual(
        heard.map((e) => [e.id, e.status, e.version]),
        [
          [app.id, 'SUSPENDED', 2],
          [app.id, 'ACTIVE', 3],
        ],
      );
      assert.deepEqual(overheard, [], 'another tenant hears nothing');
    });

    it('rotates the secret: the new one answered once, the old one honoured for the grace period only', async () => {
      const app = await register({ name: 'Rotating App' });
      const res = await svc.request('POST', `/api/v1/open-banking/apps/${app.id}/rotate`, { token: admin(), body: { graceMinutes: 60 } });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const rotated = ObAppWithSecret.parse(res.body);
      assert.notEqual(rotated.clientSecret, app.clientSecret);
      assert.equal(rotated.secretHint, rotated.clientSecret.slice(-4));
      assert.equal(rotated.previousSecretExpiresAt, new Date(clock.now().getTime() + HOUR).toISOString());
      assert.equal(rotated.rotatedAt, clock.now().toISOString());
      const view = await getApp(app.id);
      assert.ok(!JSON.stringify(view).includes(rotated.clientSecret));
      assert.deepEqual(appClientSecrets(box(), await row(app.clientId), clock.now()), [rotated.clientSecret, app.clientSecret]);
      const inGrace = new Date(clock.now().getTime() + HOUR - 1);
      const afterGrace = new Date(clock.now().getTime() + HOUR);
      assert.deepEqual(appClientSecrets(box(), await row(app.clientId), inGrace), [rotated.clientSecret, app.clientSecret]);
      assert.deepEqual(appClientSecrets(box(), await row(app.clientId), afterGrace), [rotated.clientSecret], 'the old secret ends with its grace');

      // A second rotation drops the first secret at once: never more than two are valid.
      clock.advance(MINUTE);
      const again = ObAppWithSecret.parse((await svc.request('POST', `/api/v1/open-banking/apps/${app.id}/rotate`, { token: admin(), body: {} })).body);
      assert.deepEqual(appClientSecrets(box(), await row(app.clientId), clock.now()), [again.clientSecret, rotated.clientSecret]);
      assert.equal(again.previousSecretExpiresAt, new Date(clock.now().getTime() + 1440 * MINUTE).toISOString(), 'default grace one day');
      // Grace 0 ends the old one at once.
      const now = ObAppWithSecret.parse(
        (await svc.request('POST', `/api/v1/open-banking/apps/${app.id}/rotate`, { token: admin(), body: { graceMinutes: 0 } })).body,
      );
      assert.deepEqual(appClientSecrets(box(), await row(app.clientId), clock.now()), [now.clientSecret]);
      assert.equal(now.previousSecretExpiresAt, null);
      const tooLong = await svc.request('POST', `/api/v1/open-banking/apps/${app.id}/rotate`, { token: admin(), body: { graceMinutes: 10_081 } });
      assert.equal(tooLong.status, 400);
    });

    it("hides another tenant's app (404) and filters lists to the caller's tenants", async () => {
      const ug = await register({ tenantId: OTHER_TENANT, name: 'Kampala Wallet' }, tokens['ug.manager']!);
      assert.equal((await svc.request('GET', `/api/v1/open-banking/apps/${ug.id}`, { token: admin() })).status, 404);
      assert.equal((await svc.request('POST', `/api/v1/open-banking/apps/${ug.id}/suspend`, { token: admin(), body: { reason: 'not yours' } })).status, 404);
      assert.equal((await svc.request('GET', `/api/v1/open-banking/apps/${ug.id}/usage`, { token: admin() })).status, 404);
      const mine = (await svc.request('GET', '/api/v1/open-banking/apps', { token: admin() })).body as { items: ObAppView[]; total: number };
      assert.ok(mine.items.length > 0);
      assert.ok(mine.items.every((a) => a.tenantId === TEST_TENANT));
      assert.equal(mine.total, mine.items.length);
      const theirs = (await svc.request('GET', `/api/v1/open-banking/apps?search=kampala`, { token: tokens['ug.manager']! })).body as { items: ObAppView[] };
      assert.deepEqual(
        theirs.items.map((a) => a.name),
        ['Kampala Wallet'],
      );
      const byKind = (await svc.request('GET', '/api/v1/open-banking/apps?kind=MERCHANT', { token: admin() })).body as { items: ObAppView[] };
      assert.deepEqual(
        byKind.items.map((a) => a.kind),
        ['MERCHANT'],
      );
    });

    it('counts usage per bank day from the access records, and active consents as of now', async () => {
      const app = await register({ name: 'Usage App' });
      const other = await register({ name: 'Other App' });
      const db = svc.service.context.db.kysely;
      const bool = (v: boolean) => (dialect === 'postgres' ? v : Number(v));
      let n = 0;
      const log = async (appId: string, at: string, decision: 'ALLOW' | 'DENY', reason: string, endpoint: string, status: number) => {
        await db
          .insertInto('consent_access_log')
          .values({
            id: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
            consent_id: null,
            app_id: appId,
            tenant_id: TEST_TENANT,
            customer_ref: 'CUST-1',
            method: 'GET',
            endpoint,
            path: endpoint,
            decision,
            reason,
            status_code: status,
            customer_present: bool(false),
            request_id: null,
            at,
          })
          .execute();
      };
      const accounts = '/open-banking/v1/accounts';
      const tx = '/open-banking/v1/accounts/:id/transactions';
      // 2026-11-19 in Nairobi (UTC+3) runs from 18T21:00Z to 19T21:00Z.
      await log(app.id, '2026-11-18T21:00:00.000Z', 'ALLOW', 'OK', accounts, 200);
      await log(app.id, '2026-11-19T10:00:00.000Z', 'ALLOW', 'OK', tx, 200);
      await log(app.id, '2026-11-19T20:59:59.000Z', 'DENY', 'FREQUENCY_LIMIT', tx, 429);
      // 21:00Z is already the next bank day.
      await log(app.id, '2026-11-19T21:00:00.000Z', 'DENY', 'CONSENT_EXPIRED', accounts, 403);
      await log(app.id, '2026-11-20T09:00:00.000Z', 'DENY', 'CONSENT_EXPIRED', tx, 403);
      await log(app.id, '2026-11-20T09:30:00.000Z', 'ALLOW', 'OK', tx, 200);
      // Outside the range, and another app's: not counted.
      await log(app.id, '2026-11-10T10:00:00.000Z', 'ALLOW', 'OK', tx, 200);
      await log(other.id, '2026-11-19T10:00:00.000Z', 'ALLOW', 'OK', tx, 200);

      const res = await svc.request('GET', `/api/v1/open-banking/apps/${app.id}/usage?from=2026-11-18T21:00:00.000Z&to=2026-11-20T12:00:00.000Z`, {
        token: tokens['wanjiru.njoroge']!,
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const usage = AppUsage.parse(res.body);
      assert.deepEqual(usage.days, [
        { day: '2026-11-19', allowed: 2, denied: 0, throttled: 1 },
        { day: '2026-11-20', allowed: 1, denied: 2, throttled: 0 },
      ]);
      assert.equal(usage.total, 6);
      assert.deepEqual(usage.byEndpoint, [
        { endpoint: tx, calls: 4 },
        { endpoint: accounts, calls: 2 },
      ]);
      assert.deepEqual(usage.byReason, [
        { reason: 'CONSENT_EXPIRED', calls: 2 },
        { reason: 'FREQUENCY_LIMIT', calls: 1 },
      ]);
      // The default range is the last 30 days up to now, quiet days included as zeros.
      const fallback = AppUsage.parse((await svc.request('GET', `/api/v1/open-banking/apps/${app.id}/usage`, { token: admin() })).body);
      assert.equal(fallback.to, clock.now().toISOString());
      assert.equal(fallback.total, 7);
      assert.ok(fallback.days.length >= 30);
      assert.ok(fallback.days.some((d) => d.allowed + d.denied + d.throttled === 0));
      const backwards = await svc.request('GET', `/api/v1/open-banking/apps/${app.id}/usage?from=2026-11-20T12:00:00.000Z&to=2026-11-19T12:00:00.000Z`, {
        token: admin(),
      });
      assert.equal(backwards.status, 400);
      assert.deepEqual(
        fieldsOf(backwards.body).map((f) => f.path),
        ['query.from'],
      );

      // Active consents: Authorised and not expired as of now (expiry judged at read time).
      const consent = (id: number, status: string, expiresAt: string | null) => ({
        id: `00000000-0000-4000-9000-${String(id).padStart(12, '0')}`,
        tenant_id: TEST_TENANT,
        app_id: app.id,
        customer_ref: 'CUST-1',
        permissions: toJson(['accounts.read']),
        account_ids: toJson([]),
        expires_at: expiresAt,
        transaction_from: null,
        transaction_to: null,
        frequency_per_day: 4,
        recurring: bool(true),
        status,
        status_reason: null,
        status_note: null,
        status_changed_at: NOW,
        status_changed_by: 'system',
        grant_id: null,
        created_at: NOW,
        authorised_at: NOW,
        updated_at: NOW,
        version: 1,
        deleted_at: null,
      });
      await db
        .insertInto('consents')
        .values([
          consent(1, 'Authorised', null),
          consent(2, 'Authorised', new Date(clock.now().getTime() + HOUR).toISOString()),
          consent(3, 'Authorised', new Date(clock.now().getTime() - 1).toISOString()),
          consent(4, 'Revoked', null),
          consent(5, 'AwaitingAuthorisation', null),
        ])
        .execute();
      assert.equal((await getApp(app.id)).activeConsents, 2);
      clock.advance(HOUR);
      assert.equal((await getApp(app.id)).activeConsents, 1, 'the one that expired meanwhile no longer counts');
    });
  });
}
