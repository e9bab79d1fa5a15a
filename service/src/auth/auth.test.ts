import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { DIALECTS, stopTestPostgres } from '../testing/databases.ts';
import { addTestUser, startTestService, TEST_ADMIN_PASSWORD, TEST_USER_PASSWORD, type TestService } from '../testing/service.ts';
import { LoginResponse, UserPublic } from '../../../shared/src/auth.ts';
import { ApiErrorBody } from '../../../shared/src/api.ts';
import { TokenService } from './tokens.ts';
import { hashPassword, verifyPassword, generateOneTimePassword } from './passwords.ts';
import { LoginThrottle } from './throttle.ts';
import { SecretBox } from './secret-box.ts';

after(stopTestPostgres);

describe('credentials', () => {
  it('hashes passwords with scrypt and verifies only the right one', async () => {
    const hash = await hashPassword('correct horse battery staple');
    assert.match(hash, /^scrypt\$32768\$8\$1\$/);
    assert.equal(await verifyPassword('correct horse battery staple', hash), true);
    assert.equal(await verifyPassword('correct horse battery stapl', hash), false);
    assert.notEqual(await hashPassword('same'), await hashPassword('same'), 'salted');
    assert.match(generateOneTimePassword(), /^[A-Z2-9]{5}(-[A-Z2-9]{5}){3}$/);
  });

  it('refuses expired, tampered and foreign tokens', async () => {
    const key = randomBytes(32);
    const tokens = new TokenService(key);
    const claims = {
      typ: 'user',
      sub: '6f1c8a56-2f51-4f3c-9a43-0c2f0d8f3b11',
      sid: '0b7f3f44-7d59-4c1e-9b0e-2a9c7a1d2e3f',
      role: 'FRAUD_ANALYST',
      name: 'Amina',
    } as const;
    const { token } = await tokens.sign(claims, 60);
    assert.equal((await tokens.verify(token))?.sub, claims.sub);
    const expired = await tokens.sign(claims, -10);
    assert.equal(await tokens.verify(expired.token), null);
    const [h, p, s] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), role: 'RISK_MANAGER' })).toString('base64url');
    assert.equal(await tokens.verify(`${h}.${forged}.${s}`), null);
    assert.equal(await new TokenService(randomBytes(32)).verify(token), null);
  });

  it('seals secrets with AES-GCM so that a changed byte or another key fails', () => {
    const box = SecretBox.fromKey(randomBytes(32));
    const sealed = box.seal('bank-api-key-123');
    assert.ok(!sealed.includes('bank-api-key-123'));
    assert.equal(box.open(sealed), 'bank-api-key-123');
    assert.throws(() => SecretBox.fromKey(randomBytes(32)).open(sealed));
    const tampered = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'BB' : 'AA');
    assert.throws(() => box.open(tampered));
  });

  it('locks sign-in after five failures, for longer each time', () => {
    const throttle = new LoginThrottle();
    for (let i = 0; i < 4; i++) throttle.recordFailure('amina|1.2.3.4', 0);
    assert.equal(throttle.retryAfterSeconds('amina|1.2.3.4', 0), 0);
    throttle.recordFailure('amina|1.2.3.4', 0);
    assert.equal(throttle.retryAfterSeconds('amina|1.2.3.4', 0), 30);
    throttle.recordFailure('amina|1.2.3.4', 0);
    assert.equal(throttle.retryAfterSeconds('amina|1.2.3.4', 0), 60);
    assert.equal(throttle.retryAfterSeconds('amina|1.2.3.4', 61_000), 0);
    assert.equal(throttle.retryAfterSeconds('brian|1.2.3.4', 0), 0);
  });
});

for (const dialect of DIALECTS) {
  describe(`sign-in and sessions on ${dialect}`, () => {
    let svc: TestService;
    before(async () => {
      svc = await startTestService(dialect);
      await addTestUser(svc, 'wanjiru.njoroge', 'COMPLIANCE_OFFICER');
      await addTestUser(svc, 'otieno.test', 'FRAUD_ANALYST');
    });
    after(async () => svc.stop());

    it('signs in with the right password and returns the user with its permissions', async () => {
      const res = await svc.request('POST', '/api/v1/auth/login', { body: { username: 'wanjiru.njoroge', password: TEST_USER_PASSWORD } });
      assert.equal(res.status, 200);
      const login = LoginResponse.parse(res.body);
      assert.equal(login.user.role, 'COMPLIANCE_OFFICER');
      assert.ok(login.user.permissions.includes('case:decide'));
      assert.ok(!login.user.permissions.includes('user:manage'));
      const hours = (new Date(login.expiresAt).getTime() - Date.now()) / 3_600_000;
      assert.ok(hours > 7.9 && hours <= 8, 'sessions last one working day');
      const me = UserPublic.parse((await svc.request('GET', '/api/v1/auth/me', { token: login.token })).body);
      assert.equal(me.username, 'wanjiru.njoroge');
      const audit = await svc.service.context.db.kysely
        .selectFrom('audit_log')
        .selectAll()
        .where('command', '=', 'session.open')
        .where('actor_name', '=', 'Wanjiru Njoroge')
        .execute();
      assert.equal(audit.length, 1, 'the sign-in is audited');
    });

    it('answers a wrong password or unknown user with the same 401, and throttles guessing', async () => {
      const wrong = await svc.request('POST', '/api/v1/auth/login', { body: { username: 'otieno.test', password: 'nope' } });
      const unknown = await svc.request('POST', '/api/v1/auth/login', { body: { username: 'nobody.here', password: 'nope' } });
      assert.equal(wrong.status, 401);
      assert.equal(unknown.status, 401);
      assert.deepEqual(wrong.body, unknown.body);
      for (let i = 0; i < 4; i++) await svc.request('POST', '/api/v1/auth/login', { body: { username: 'otieno.test', password: 'nope' } });
      const locked = await svc.request('POST', '/api/v1/auth/login', { body: { username: 'otieno.test', password: TEST_USER_PASSWORD } });
      assert.equal(locked.status, 429, 'even the right password waits out the lock');
      assert.equal(ApiErrorBody.parse(locked.body).error.code, 'RATE_LIMITED');
      const badShape = await svc.request('POST', '/api/v1/auth/login', { body: { username: 'UPPER CASE!', password: '' } });
      assert.equal(badShape.status, 400);
      assert.deepEqual(
        ApiErrorBody.parse(badShape.body)
          .error.fields?.map((f) => f.path)
          .sort(),
        ['body.password', 'body.username'],
      );
    });

    it('protects /metrics with metrics:read and leaves /health open', async () => {
      const health = await svc.request('GET', '/health');
      assert.equal(health.status, 200);
      assert.equal((health.body as { database: string }).database, dialect);
      assert.equal((await svc.request('GET', '/metrics')).status, 401);
      const compliance = (await svc.login('wanjiru.njoroge', TEST_USER_PASSWORD)).token;
      assert.equal((await svc.request('GET', '/metrics', { token: compliance })).status, 403);
      const admin = (await svc.login('admin', TEST_ADMIN_PASSWORD)).token;
      const metrics = await svc.request('GET', '/metrics', { token: admin });
      assert.equal(metrics.status, 200);
      assert.match(String(metrics.body), /wekeza_http_request_duration_seconds_bucket/);
      assert.match(String(metrics.body), /wekeza_commands_total\{command="session.open",outcome="ok"\}/);
    });

    it('answers unknown routes with 404 JSON and never returns password hashes', async () => {
      const missing = await svc.request('GET', '/api/v1/does-not-exist');
      assert.equal(missing.status, 404);
      assert.equal(ApiErrorBody.parse(missing.body).error.code, 'NOT_FOUND');
      const admin = (await svc.login('admin', TEST_ADMIN_PASSWORD)).token;
      const users = await svc.request('GET', '/api/v1/users', { token: admin });
      assert.equal(users.status, 200);
      assert.ok(!JSON.stringify(users.body).includes('scrypt'));
      const audit = await svc.request('GET', '/api/v1/audit?pageSize=500', { token: admin });
      assert.ok(!JSON.stringify(audit.body).includes('scrypt'));
    });
  });
}
