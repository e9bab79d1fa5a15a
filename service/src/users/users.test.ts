import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { io as connect, type Socket } from 'socket.io-client';
import pino from 'pino';
import { DIALECTS, createTestDatabase, stopTestPostgres } from '../testing/databases.ts';
import { addTestUser, startTestService, TEST_ADMIN_PASSWORD, TEST_USER_PASSWORD, type TestService } from '../testing/service.ts';
import { startService } from '../app.ts';
import { ManualClock } from '../clock.ts';
import { ApiErrorBody } from '../../../shared/src/api.ts';
import { LoginResponse, UserPublic } from '../../../shared/src/auth.ts';
import { AdminUser, UserWithOneTimePassword } from '../../../shared/src/users.ts';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../shared/src/events.ts';

after(stopTestPostgres);

const T = { timeout: 60_000 };
type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

function openSocket(url: string, token: string): Promise<ClientSocket> {
  return new Promise((resolve, reject) => {
    const socket: ClientSocket = connect(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
    socket.on('connect', () => resolve(socket));
    socket.on('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

function errorOf(body: unknown) {
  return ApiErrorBody.parse(body).error;
}

function fieldsOf(body: unknown): string[] {
  return (errorOf(body).fields ?? []).map((f) => f.path);
}

for (const dialect of DIALECTS) {
  describe(`users on ${dialect}`, () => {
    let svc: TestService;
    let admin: string;
    const clock = new ManualClock('2026-11-20T09:00:00Z');

    const users = async (token = admin) => {
      const res = await svc.request('GET', '/api/v1/users', { token });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return (res.body as unknown[]).map((u) => AdminUser.parse(u));
    };
    const userNamed = async (username: string) => {
      const found = (await users()).find((u) => u.username === username);
      assert.ok(found, `${username} is listed`);
      return found;
    };
    const changePassword = (token: string, currentPassword: string, newPassword: string) =>
      svc.request('POST', '/api/v1/auth/password', { token, body: { currentPassword, newPassword } });

    before(async () => {
      svc = await startTestService(dialect, { clock });
      admin = (await svc.login('admin', TEST_ADMIN_PASSWORD)).token;
    });
    after(async () => svc.stop());

    it('keeps a first admin password an operator chose (WEKEZA_ADMIN_PASSWORD) without a forced change', T, async () => {
      assert.equal((await svc.login('admin', TEST_ADMIN_PASSWORD)).user.passwordChangeRequired, false);
    });

    it('creates a user whose one-time password must be changed before anything else', T, async () => {
      const body = { username: 'kevin.ochieng', displayName: 'Kevin Ochieng', role: 'FRAUD_ANALYST', tenantIds: ['WEKEZA-KE'] };
      const created = await svc.request('POST', '/api/v1/users', { token: admin, body });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const { user, oneTimePassword } = UserWithOneTimePassword.parse(created.body);
      assert.equal(user.passwordChangeRequired, true);
      assert.deepEqual(user.tenantIds, ['WEKEZA-KE']);
      assert.match(oneTimePassword, /^[A-Z2-9]{5}(-[A-Z2-9]{5}){3}$/);
      assert.equal((await svc.request('POST', '/api/v1/users', { token: admin, body })).status, 409, 'usernames are unique');
      const noTenant = await svc.request('POST', '/api/v1/users', { token: admin, body: { ...body, username: 'no.tenant', tenantIds: [] } });
      assert.equal(noTenant.status, 400);
      assert.deepEqual(fieldsOf(noTenant.body), ['body.tenantIds'], 'an analyst must act for a named tenant');
      const noTenantsField = await svc.request('POST', '/api/v1/users', { token: admin, body: { username: 'x.y', displayName: 'X Y', role: 'AUDITOR' } });
      assert.deepEqual(fieldsOf(noTenantsField.body), ['body.tenantIds'], 'every tenant is never a default');

      const signIn = await svc.login('kevin.ochieng', oneTimePassword);
      assert.equal(signIn.user.passwordChangeRequired, true, 'sign-in says the password must be changed');
      const blocked = await svc.request('GET', '/api/v1/users/assignable', { token: signIn.token });
      assert.equal(blocked.status, 403);
      assert.equal(errorOf(blocked.body).code, 'PASSWORD_CHANGE_REQUIRED');
      assert.equal((await svc.request('GET', '/api/v1/auth/me', { token: signIn.token })).status, 200, 'who am I still works');
      await assert.rejects(openSocket(svc.url, signIn.token), /unauthorized/, 'no live data before the change either');

      const refusals: Array<[string, string, string, RegExp]> = [
        [oneTimePassword, 'Short-1!', 'body.newPassword', /at least 12/],
        [oneTimePassword, 'my-kevin.ochieng-2026', 'body.newPassword', /username/],
        [oneTimePassword, 'Password1234', 'body.newPassword', /commonly used/],
        [oneTimePassword, oneTimePassword, 'body.newPassword', /last 5/],
        ['not-the-password', 'Ngong-Hills-Sunrise-42', 'body.currentPassword', /current password/],
      ];
      for (const [current, next, field, reason] of refusals) {
        const res = await changePassword(signIn.token, current, next);
        assert.equal(res.status, 400, `${next}: ${JSON.stringify(res.body)}`);
        const error = errorOf(res.body);
        assert.deepEqual(
          error.fields?.map((f) => f.path),
          [field],
        );
        assert.match(error.fields?.[0]?.message ?? '', reason);
      }
      const changed = await changePassword(signIn.token, oneTimePassword, 'Ngong-Hills-Sunrise-42');
      assert.equal(changed.status, 204, JSON.stringify(changed.body));
      assert.equal((await svc.request('GET', '/api/v1/users/assignable', { token: signIn.token })).status, 200, 'the same session now works');
      assert.equal(UserPublic.parse((await svc.request('GET', '/api/v1/auth/me', { token: signIn.token })).body).passwordChangeRequired, false);
      (await openSocket(svc.url, signIn.token)).close();
      assert.equal((await svc.request('POST', '/api/v1/auth/login', { body: { username: 'kevin.ochieng', password: oneTimePassword } })).status, 401);
      assert.equal((await svc.login('kevin.ochieng', 'Ngong-Hills-Sunrise-42')).user.passwordChangeRequired, false);
      const listed = await userNamed('kevin.ochieng');
      assert.equal(listed.passwordChangeRequired, false);
      assert.equal(listed.lastSignInAt, clock.now().toISOString());
      assert.ok(listed.passwordChangedAt);

      const analyst = (await svc.login('kevin.ochieng', 'Ngong-Hills-Sunrise-42')).token;
      assert.equal((await svc.request('GET', '/api/v1/users', { token: analyst })).status, 403, 'user:manage only');
      assert.equal((await svc.request('POST', '/api/v1/users', { token: analyst, body: { ...body, username: 'sneaky.one' } })).status, 403);
    });

    it('refuses any of the last five passwords and accepts the sixth oldest', T, async () => {
      await addTestUser(svc, 'mary.wafula', 'FRAUD_ANALYST');
      const token = (await svc.login('mary.wafula', TEST_USER_PASSWORD)).token;
      const passwords = [TEST_USER_PASSWORD, 'Tana-River-Delta-01', 'Tana-River-Delta-02', 'Tana-River-Delta-03', 'Tana-River-Delta-04'];
      for (let i = 1; i < passwords.length; i++) assert.equal((await changePassword(token, passwords[i - 1]!, passwords[i]!)).status, 204);
      const current = passwords.at(-1)!;
      // The oldest of the five (the boundary) and one in the middle; the current one is checked in the test above.
      for (const earlier of [passwords[0]!, passwords[2]!]) {
        const res = await changePassword(token, current, earlier);
        assert.equal(res.status, 400, `${earlier} is one of the last five`);
        assert.match(errorOf(res.body).fields?.[0]?.message ?? '', /last 5/);
      }
      assert.equal((await changePassword(token, current, 'Tana-River-Delta-05')).status, 204);
      assert.equal((await changePassword(token, 'Tana-River-Delta-05', TEST_USER_PASSWORD)).status, 204, 'the sixth most recent may come back');
    });

    it('edits display name, role and tenants with expectedVersion; new rights end the sessions', T, async () => {
      const id = await addTestUser(svc, 'brian.kamau', 'FRAUD_ANALYST');
      const token = (await svc.login('brian.kamau', TEST_USER_PASSWORD)).token;
      const start = await userNamed('brian.kamau');
      const renamed = await svc.request('PATCH', `/api/v1/users/${id}`, {
        token: admin,
        body: { displayName: 'Brian K. Kamau', expectedVersion: start.version },
      });
      assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
      assert.equal(AdminUser.parse(renamed.body).version, start.version + 1);
      assert.equal((await svc.request('GET', '/api/v1/auth/me', { token })).status, 200, 'a new name keeps the session');
      const stale = await svc.request('PATCH', `/api/v1/users/${id}`, { token: admin, body: { displayName: 'Someone Else', expectedVersion: start.version } });
      assert.equal(stale.status, 409);
      assert.equal(
        (await svc.request('PATCH', `/api/v1/users/${id}`, { token: admin, body: { expectedVersion: start.version + 1 } })).status,
        400,
        'a change needs a field',
      );

      const rerole = await svc.request('PATCH', `/api/v1/users/${id}`, {
        token: admin,
        body: { role: 'COMPLIANCE_OFFICER', tenantIds: ['WEKEZA-KE', 'WEKEZA-UG'], expectedVersion: start.version + 1 },
      });
      assert.equal(rerole.status, 200, JSON.stringify(rerole.body));
      assert.equal(AdminUser.parse(rerole.body).role, 'COMPLIANCE_OFFICER');
      assert.equal((await svc.request('GET', '/api/v1/auth/me', { token })).status, 401, 'new rights: sign in again');
      const again = await svc.login('brian.kamau', TEST_USER_PASSWORD);
      assert.deepEqual(again.user.tenantIds, ['WEKEZA-KE', 'WEKEZA-UG']);
      assert.equal(
        (
          await svc.request('PATCH', '/api/v1/users/00000000-0000-4000-8000-000000000000', {
            token: admin,
            body: { displayName: 'Nobody', expectedVersion: 1 },
          })
        ).status,
        404,
      );
    });

    it('lets an admin of some tenants grant and manage only those tenants', T, async () => {
      await addTestUser(svc, 'ke.admin', 'RISK_MANAGER', ['WEKEZA-KE']);
      const keAdmin = (await svc.login('ke.admin', TEST_USER_PASSWORD)).token;
      const create = (username: string, role: string, tenantIds: string[]) =>
        svc.request('POST', '/api/v1/users', { token: keAdmin, body: { username, displayName: 'Scoped User', role, tenantIds } });
      const foreign = await create('ug.analyst', 'FRAUD_ANALYST', ['WEKEZA-UG']);
      assert.equal(foreign.status, 403);
      assert.deepEqual(fieldsOf(foreign.body), ['body.tenantIds']);
      assert.equal((await create('all.auditor', 'AUDITOR', [])).status, 403, 'every tenant is not theirs to give');
      assert.equal((await create('ke.analyst', 'FRAUD_ANALYST', ['WEKEZA-KE'])).status, 201);
      const wider = await addTestUser(svc, 'wide.officer', 'RISK_OFFICER', ['WEKEZA-KE', 'WEKEZA-UG']);
      const version = (await userNamed('wide.officer')).version;
      assert.equal(
        (await svc.request('PATCH', `/api/v1/users/${wider}`, { token: keAdmin, body: { tenantIds: ['WEKEZA-KE'], expectedVersion: version } })).status,
        403,
      );
      assert.equal((await svc.request('POST', `/api/v1/users/${wider}/deactivate`, { token: keAdmin })).status, 403);
      assert.equal((await svc.request('POST', `/api/v1/users/${wider}/reset-password`, { token: keAdmin })).status, 403);
    });

    it('deactivation ends every session at once, on HTTP and socket.io; reactivation lets the user back', T, async () => {
      const id = await addTestUser(svc, 'peter.mwangi', 'RISK_OFFICER');
      const first = (await svc.login('peter.mwangi', TEST_USER_PASSWORD)).token;
      const second = (await svc.login('peter.mwangi', TEST_USER_PASSWORD)).token;
      assert.equal((await svc.request('GET', '/api/v1/auth/me', { token: first })).status, 200, 'the session is cached as live');
      const socket = await openSocket(svc.url, first);
      const revoked = new Promise<{ reason: string }>((resolve) => socket.on('session.revoked', resolve));
      const disconnected = new Promise<void>((resolve) => socket.on('disconnect', () => resolve()));

      const res = await svc.request('POST', `/api/v1/users/${id}/deactivate`, { token: admin });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const user = AdminUser.parse(res.body);
      assert.equal(user.active, false);
      assert.equal(user.deactivatedAt, clock.now().toISOString());
      assert.match((await revoked).reason, /deactivated/);
      await disconnected;
      for (const token of [first, second]) assert.equal((await svc.request('GET', '/api/v1/auth/me', { token })).status, 401);
      await assert.rejects(openSocket(svc.url, second), /unauthorized/);
      assert.equal((await svc.request('POST', '/api/v1/auth/login', { body: { username: 'peter.mwangi', password: TEST_USER_PASSWORD } })).status, 401);
      assert.equal((await svc.request('POST', `/api/v1/users/${id}/deactivate`, { token: admin })).status, 200, 'deactivating twice changes nothing');

      const back = await svc.request('POST', `/api/v1/users/${id}/reactivate`, { token: admin });
      assert.equal(back.status, 200);
      assert.equal(AdminUser.parse(back.body).active, true);
      assert.equal((await svc.login('peter.mwangi', TEST_USER_PASSWORD)).user.username, 'peter.mwangi');
    });

    it('never leaves the bank without an active admin, and no admin deactivates itself', T, async () => {
      const me = await userNamed('admin');
      const self = await svc.request('POST', `/api/v1/users/${me.id}/deactivate`, { token: admin });
      assert.equal(self.status, 409);
      const others = (await users()).filter((u) => u.role === 'RISK_MANAGER' && u.active && u.id !== me.id);
      for (const other of others) assert.equal((await svc.request('POST', `/api/v1/users/${other.id}/deactivate`, { token: admin })).status, 200);
      try {
        const demote = await svc.request('PATCH', `/api/v1/users/${me.id}`, { token: admin, body: { role: 'AUDITOR', expectedVersion: me.version } });
        assert.equal(demote.status, 409);
        assert.match(errorOf(demote.body).message, /last active/);
        assert.equal((await userNamed('admin')).role, 'RISK_MANAGER');
      } finally {
        for (const other of others) await svc.request('POST', `/api/v1/users/${other.id}/reactivate`, { token: admin });
      }
      const second = await addTestUser(svc, 'second.admin', 'RISK_MANAGER');
      const secondVersion = (await userNamed('second.admin')).version;
      const demoted = await svc.request('PATCH', `/api/v1/users/${second}`, { token: admin, body: { role: 'AUDITOR', expectedVersion: secondVersion } });
      assert.equal(demoted.status, 200, 'another admin may be demoted while one remains');
    });

    it('resets a password: a one-time password once, sessions ended, a change at the next sign-in', T, async () => {
      const id = await addTestUser(svc, 'grace.achieng', 'AUDITOR');
      const old = (await svc.login('grace.achieng', TEST_USER_PASSWORD)).token;
      const res = await svc.request('POST', `/api/v1/users/${id}/reset-password`, { token: admin });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const { user, oneTimePassword } = UserWithOneTimePassword.parse(res.body);
      assert.equal(user.passwordChangeRequired, true);
      assert.equal((await svc.request('GET', '/api/v1/auth/me', { token: old })).status, 401, 'its sessions ended');
      assert.equal((await svc.request('POST', '/api/v1/auth/login', { body: { username: 'grace.achieng', password: TEST_USER_PASSWORD } })).status, 401);
      const signIn = await svc.login('grace.achieng', oneTimePassword);
      assert.equal(signIn.user.passwordChangeRequired, true);
      assert.equal(errorOf((await svc.request('GET', '/api/v1/users/assignable', { token: signIn.token })).body).code, 'PASSWORD_CHANGE_REQUIRED');
      const reused = await changePassword(signIn.token, oneTimePassword, TEST_USER_PASSWORD);
      assert.equal(reused.status, 400, 'the password before the reset counts as used');
      assert.equal((await changePassword(signIn.token, oneTimePassword, 'Lake-Victoria-Morning-7')).status, 204);
      const me = await userNamed('admin');
      assert.equal(
        (await svc.request('POST', `/api/v1/users/${me.id}/reset-password`, { token: admin })).status,
        409,
        'admins change their own password instead',
      );
    });

    it('offers for assignment only active case workers who share a tenant with the caller', T, async () => {
      await addTestUser(svc, 'ug.only', 'FRAUD_ANALYST', ['WEKEZA-UG']);
      await addTestUser(svc, 'ke.only', 'FRAUD_ANALYST', ['WEKEZA-KE']);
      await addTestUser(svc, 'all.compliance', 'COMPLIANCE_OFFICER');
      const ke = (await svc.login('ke.only', TEST_USER_PASSWORD)).token;
      const names = async (token: string) => ((await svc.request('GET', '/api/v1/users/assignable', { token })).body as UserPublic[]).map((u) => u.username);
      const seenByKe = await names(ke);
      assert.ok(seenByKe.includes('ke.only') && seenByKe.includes('all.compliance'));
      assert.ok(!seenByKe.includes('ug.only'), 'a Uganda-only analyst is not offered to a Kenya analyst');
      assert.ok(!seenByKe.includes('grace.achieng'), 'auditors do not work cases');
      const seenByAdmin = await names(admin);
      assert.ok(seenByAdmin.includes('ug.only') && seenByAdmin.includes('ke.only'));
    });

    it('writes audit rows for every change, without a password or a hash', T, async () => {
      const rows = await svc.service.context.db.kysely.selectFrom('audit_log').selectAll().where('entity_type', '=', 'user').execute();
      const commands = new Set(rows.map((r) => r.command));
      for (const command of ['user.create', 'user.update', 'user.deactivate', 'user.reactivate', 'user.resetPassword', 'user.changePassword']) {
        assert.ok(commands.has(command), `${command} is audited`);
      }
      const changes = await svc.service.context.db.kysely.selectFrom('change_log').selectAll().where('entity_type', '=', 'user').execute();
      const text = JSON.stringify([rows, changes]);
      for (const secret of [
        'scrypt$',
        'Ngong-Hills-Sunrise-42',
        'Lake-Victoria-Morning-7',
        'Tana-River-Delta',
        TEST_USER_PASSWORD,
        'password_hash',
        'passwordHash',
      ]) {
        assert.ok(!text.includes(secret), `no ${secret} in the audit or change log`);
      }
      const answer = JSON.stringify(await users());
      assert.ok(!answer.includes('scrypt$'), 'the list shows no hash');
    });
  });

  describe(`the first admin on ${dialect}`, () => {
    it('gets a generated one-time password that must be changed before anything else', T, async () => {
      const database = await createTestDatabase(dialect);
      const service = await startService({
        mode: dialect === 'sqlite' ? 'standalone' : 'hub',
        host: '127.0.0.1',
        port: 0,
        dataDir: database.dataDir,
        database: database.target,
        rendererDir: null,
        logger: pino({ level: 'silent' }),
        env: { WEKEZA_ADMIN_PASSWORD: '' },
        checkResponses: true,
      });
      try {
        const password = service.generatedAdminPassword;
        assert.ok(password, 'a password was generated');
        const res = await fetch(`${service.url}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'admin', password }),
        });
        const login = LoginResponse.parse(await res.json());
        assert.equal(login.user.passwordChangeRequired, true);
        assert.deepEqual(login.user.tenantIds, [], 'every tenant');
        const list = await fetch(`${service.url}/api/v1/users`, { headers: { authorization: `Bearer ${login.token}` } });
        assert.equal(list.status, 403, 'nothing before the change');
      } finally {
        await service.close();
        await database.drop();
      }
    });
  });
}
