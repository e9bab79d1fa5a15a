import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { DIALECTS, stopTestPostgres } from '../testing/databases.ts';
import { addTestUser, startTestService, TEST_ADMIN_PASSWORD, TEST_USER_PASSWORD, type TestService } from '../testing/service.ts';
import { ManualClock } from '../clock.ts';
import { ApiErrorBody } from '../../../shared/src/api.ts';
import { ClientCredentialsResponse, UserPublic } from '../../../shared/src/auth.ts';
import { ApiClientView, ApiClientWithKey } from '../../../shared/src/users.ts';
import { ALL_OPERATIONS, buildPath } from '../../../shared/src/contract/index.ts';
import { ROLE_PERMISSIONS } from '../../../shared/src/roles.ts';

after(stopTestPostgres);

const T = { timeout: 60_000 };
const MINUTE = 60_000;

for (const dialect of DIALECTS) {
  describe(`machine clients on ${dialect}`, () => {
    let svc: TestService;
    let admin: string;
    const clock = new ManualClock('2026-11-20T09:00:00Z');
    const keys: string[] = [];

    const create = async (body: Record<string, unknown>, token = admin) => {
      const res = await svc.request('POST', '/api/v1/api-clients', { token, body });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const client = ApiClientWithKey.parse(res.body);
      keys.push(client.apiKey);
      return client;
    };
    const withKey = (key: string, method = 'GET', path = '/api/v1/auth/me') => svc.request(method, path, { headers: { 'x-api-key': key } });
    const listed = async (id: string) => {
      const res = await svc.request('GET', '/api/v1/api-clients', { token: admin });
      assert.equal(res.status, 200);
      const found = (res.body as unknown[]).map((c) => ApiClientView.parse(c)).find((c) => c.id === id);
      assert.ok(found, 'the client is listed');
      return found;
    };

    before(async () => {
      svc = await startTestService(dialect, { clock });
      admin = (await svc.login('admin', TEST_ADMIN_PASSWORD)).token;
    });
    after(async () => svc.stop());

    it('registers a payment engine for named tenants, shows its key once and records its last use', T, async () => {
      const noTenant = await svc.request('POST', '/api/v1/api-clients', {
        token: admin,
        body: { name: 'Engine without tenant', role: 'PAYMENT_ENGINE', tenantIds: [] },
      });
      assert.equal(noTenant.status, 400);
      assert.deepEqual(
        ApiErrorBody.parse(noTenant.body).error.fields?.map((f) => f.path),
        ['body.tenantIds'],
      );
      const client = await create({ name: 'Core payment engine', role: 'PAYMENT_ENGINE', tenantIds: ['WEKEZA-KE'] });
      assert.match(client.clientId, /^wkz-client-/);
      assert.match(client.apiKey, /^wkz_/);
      assert.deepEqual(client.tenantIds, ['WEKEZA-KE']);
      assert.equal(client.role, 'PAYMENT_ENGINE');
      assert.equal(
        (await svc.request('POST', '/api/v1/api-clients', { token: admin, body: { name: 'Core payment engine', tenantIds: ['WEKEZA-KE'] } })).status,
        409,
        'one active client per name',
      );

      const me = await withKey(client.apiKey);
      assert.equal(me.status, 200);
      assert.deepEqual(UserPublic.parse(me.body).tenantIds, ['WEKEZA-KE']);
      // The last use is written after the request, off the request path.
      let view = await listed(client.id);
      for (let i = 0; i < 40 && view.lastUsedAt === null; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        view = await listed(client.id);
      }
      assert.equal(view.lastUsedAt, clock.now().toISOString());
      assert.ok(!JSON.stringify(view).includes(client.apiKey), 'the list never shows a key');

      await addTestUser(svc, 'ke.admin', 'RISK_MANAGER', ['WEKEZA-KE']);
      const keAdmin = (await svc.login('ke.admin', TEST_USER_PASSWORD)).token;
      const foreign = await svc.request('POST', '/api/v1/api-clients', {
        token: keAdmin,
        body: { name: 'Uganda engine', role: 'PAYMENT_ENGINE', tenantIds: ['WEKEZA-UG'] },
      });
      assert.equal(foreign.status, 403, 'an admin of Kenya cannot give Uganda');
      await create({ name: 'Kenya engine by a Kenya admin', role: 'PAYMENT_ENGINE', tenantIds: ['WEKEZA-KE'] }, keAdmin);
    });

    it('revokes a client: its key, its OAuth2 tokens and the grant stop working at once', T, async () => {
      const client = await create({ name: 'Switch gateway', role: 'PAYMENT_ENGINE', tenantIds: ['WEKEZA-KE'] });
      const grant = await svc.request('POST', '/api/v1/auth/token', {
        body: { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.apiKey },
      });
      assert.equal(grant.status, 200);
      const bearer = ClientCredentialsResponse.parse(grant.body).access_token;
      assert.equal((await svc.request('GET', '/api/v1/auth/me', { token: bearer })).status, 200);
      assert.equal((await withKey(client.apiKey)).status, 200);

      const res = await svc.request('POST', `/api/v1/api-clients/${client.id}/revoke`, { token: admin });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const view = ApiClientView.parse(res.body);
      assert.equal(view.active, false);
      assert.equal(view.revokedAt, clock.now().toISOString());
      assert.equal((await withKey(client.apiKey)).status, 401);
      assert.equal((await svc.request('GET', '/api/v1/auth/me', { token: bearer })).status, 401);
      const again = await svc.request('POST', '/api/v1/auth/token', {
        body: { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.apiKey },
      });
      assert.equal(again.status, 401);
      assert.equal(
        (await svc.request('POST', `/api/v1/api-clients/${client.id}/rotate`, { token: admin, body: {} })).status,
        409,
        'a revoked client is not rotated',
      );
      assert.equal((await svc.request('POST', '/api/v1/api-clients/00000000-0000-4000-8000-000000000000/revoke', { token: admin })).status, 404);
    });

    it('rotates a key: the new one works at once, the old one until the grace period ends', T, async () => {
      const client = await create({ name: 'Rotating engine', role: 'PAYMENT_ENGINE', tenantIds: ['WEKEZA-KE'] });
      assert.equal((await withKey(client.apiKey)).status, 200, 'the old key is cached as valid');
      const tooLong = await svc.request('POST', `/api/v1/api-clients/${client.id}/rotate`, { token: admin, body: { graceMinutes: 7 * 24 * 60 + 1 } });
      assert.equal(tooLong.status, 400);
      assert.deepEqual(
        ApiErrorBody.parse(tooLong.body).error.fields?.map((f) => f.path),
        ['body.graceMinutes'],
      );

      const res = await svc.request('POST', `/api/v1/api-clients/${client.id}/rotate`, { token: admin, body: { graceMinutes: 60 } });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const rotated = ApiClientWithKey.parse(res.body);
      keys.push(rotated.apiKey);
      assert.notEqual(rotated.apiKey, client.apiKey);
      assert.equal(rotated.clientId, client.clientId, 'the client id stays');
      assert.equal(rotated.rotatedAt, clock.now().toISOString());
      assert.equal(rotated.previousKeyValidUntil, new Date(clock.now().getTime() + 60 * MINUTE).toISOString());
      assert.equal((await withKey(rotated.apiKey)).status, 200);
      assert.equal((await withKey(client.apiKey)).status, 200, 'the old key works during the grace period');
      const oldGrant = await svc.request('POST', '/api/v1/auth/token', {
        body: { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.apiKey },
      });
      assert.equal(oldGrant.status, 200, 'the old secret also works for the grant');

      clock.advance(61 * MINUTE);
      assert.equal((await withKey(client.apiKey)).status, 401, 'the old key stops when the grace ends');
      assert.equal((await withKey(rotated.apiKey)).status, 200);
      assert.equal((await listed(client.id)).previousKeyValidUntil, null);

      const byDefault = ApiClientWithKey.parse((await svc.request('POST', `/api/v1/api-clients/${client.id}/rotate`, { token: admin })).body);
      keys.push(byDefault.apiKey);
      assert.equal(byDefault.previousKeyValidUntil, new Date(clock.now().getTime() + 24 * 60 * MINUTE).toISOString(), 'one day by default');
      const atOnce = ApiClientWithKey.parse(
        (await svc.request('POST', `/api/v1/api-clients/${client.id}/rotate`, { token: admin, body: { graceMinutes: 0 } })).body,
      );
      keys.push(atOnce.apiKey);
      assert.equal(atOnce.previousKeyValidUntil, null);
      assert.equal((await withKey(byDefault.apiKey)).status, 401, 'grace 0 ends the previous key at once');
      assert.equal((await withKey(rotated.apiKey)).status, 401, 'only one previous key is kept');
      assert.equal((await withKey(atOnce.apiKey)).status, 200);
    });

    it('lets a monitoring client read /metrics and nothing else', T, async () => {
      const monitor = await create({ name: 'Prometheus', role: 'MONITORING', tenantIds: [] });
      assert.equal(monitor.role, 'MONITORING');
      const metrics = await withKey(monitor.apiKey, 'GET', '/metrics');
      assert.equal(metrics.status, 200);
      assert.match(String(metrics.body), /wekeza_/);
      const allowed = new Set(ROLE_PERMISSIONS.MONITORING);
      const gated = ALL_OPERATIONS.filter((op) => op.access !== 'public' && op.access !== 'signed-in' && op.access !== 'partner' && !allowed.has(op.access));
      assert.ok(gated.length > 5);
      for (const op of gated) {
        const path = buildPath(
          op.path,
          Object.fromEntries([...op.path.matchAll(/:([A-Za-z0-9_]+)/g)].map(([, name]) => [name!, '00000000-0000-4000-8000-000000000000'])),
        );
        const res = await svc.request(op.method, path, { headers: { 'x-api-key': monitor.apiKey }, ...(op.method === 'GET' ? {} : { body: {} }) });
        assert.equal(res.status, 403, `${op.name}: ${res.status}`);
      }
      const password = await svc.request('POST', '/api/v1/auth/password', {
        headers: { 'x-api-key': monitor.apiKey },
        body: { currentPassword: 'x', newPassword: 'Long-Enough-Password-1' },
      });
      assert.equal(password.status, 403, 'machine clients have no password');
    });

    it('audits every client change without a key or its hash', T, async () => {
      const rows = await svc.service.context.db.kysely.selectFrom('audit_log').selectAll().where('entity_type', '=', 'api_client').execute();
      const commands = new Set(rows.map((r) => r.command));
      for (const command of ['apiClient.create', 'apiClient.revoke', 'apiClient.rotate']) assert.ok(commands.has(command), `${command} is audited`);
      const changes = await svc.service.context.db.kysely.selectFrom('change_log').selectAll().where('entity_type', '=', 'api_client').execute();
      const text = JSON.stringify([rows, changes]);
      assert.ok(keys.length >= 6);
      for (const key of keys) {
        assert.ok(!text.includes(key), 'no key in the audit or change log');
        assert.ok(!text.includes(createHash('sha256').update(key).digest('hex')), 'no key hash in the audit or change log');
      }
    });
  });
}
