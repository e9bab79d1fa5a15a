import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestService, TEST_ADMIN_PASSWORD, type TestService } from '../testing/service.ts';

/** A request id ties an answer to its log lines and audit rows (issue 11, operability). */
describe('request ids', { timeout: 60_000 }, () => {
  let svc: TestService;
  let admin: string;
  before(async () => {
    svc = await startTestService('sqlite');
    admin = (await svc.login('admin', TEST_ADMIN_PASSWORD)).token;
  });
  after(async () => svc?.stop());

  const auditRows = (requestId: string) =>
    svc.service.context.db.kysely.selectFrom('audit_log').select(['command', 'request_id']).where('request_id', '=', requestId).execute();

  it("takes the caller's X-Request-Id, answers with it and writes it into the audit rows of that request", async () => {
    const requestId = 'engine-7f3a.retry:2';
    const res = await svc.request('POST', '/api/v1/users', {
      token: admin,
      headers: { 'x-request-id': requestId },
      body: { username: 'kevin.ochieng', displayName: 'Kevin Ochieng', role: 'FRAUD_ANALYST', tenantIds: ['WEKEZA-KE'] },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.headers.get('x-request-id'), requestId);
    const rows = await auditRows(requestId);
    assert.ok(
      rows.some((r) => r.command === 'user.create'),
      JSON.stringify(rows),
    );
  });

  it('makes its own id when none is sent, or when the one sent is not a plain token (no forged log lines)', async () => {
    const plain = await svc.request('GET', '/health');
    assert.match(plain.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
    const forged = await svc.request('GET', '/health', { headers: { 'x-request-id': 'abc\r\nlevel=fatal msg=forged' } }).catch(() => null);
    if (forged) assert.match(forged.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
    const long = await svc.request('GET', '/health', { headers: { 'x-request-id': 'x'.repeat(200) } });
    assert.match(long.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
    const spaced = await svc.request('GET', '/health', { headers: { 'x-request-id': 'two words' } });
    assert.match(spaced.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
  });
});
