import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { ManualClock } from '../../clock.ts';
import { addTestUser, startTestService, TEST_ADMIN_PASSWORD, TEST_USER_PASSWORD, type TestService } from '../../testing/service.ts';
import { startTestWorkstation, type TestWorkstation } from '../../testing/workstation.ts';
import { DIALECTS } from '../../testing/databases.ts';
import type { HubTransport } from './types.ts';
import { criticalPayment } from '../../testing/fixtures.ts';
import { CasePage } from '../../../../shared/src/contract/cases.ts';
import { CaseAttachment, CaseDetail } from '../../../../shared/src/cases.ts';

/**
 * The workstation shell (README "Workstations and sync"): sign-in at the hub and offline, what is
 * forwarded to the hub and what "needs the hub" looks like offline, rights taken away at the hub,
 * and the cache encrypted at rest. The hub is a real service; the partition is a transport that
 * fails like an unplugged cable.
 */
for (const dialect of DIALECTS) {
  describe(`workstation shell with a hub on ${dialect}`, { timeout: 240_000 }, () => {
    const clock = new ManualClock('2026-11-20T06:00:00.000Z');
    let hub: TestService;
    let ws: TestWorkstation;
    let hubReachable = true;
    const transport: HubTransport = (url, init) => (hubReachable ? fetch(url, init) : Promise.reject(new TypeError('fetch failed: connect ECONNREFUSED')));
    let officerId: string;
    let adminToken: string;

    before(async () => {
      hub = await startTestService(dialect, { clock });
      officerId = await addTestUser(hub, 'wanjiru.njoroge', 'COMPLIANCE_OFFICER');
      await addTestUser(hub, 'amina.otieno', 'FRAUD_ANALYST');
      adminToken = (await hub.login('admin', TEST_ADMIN_PASSWORD)).token;
      ws = await startTestWorkstation(hub.url, { transport, clock });
    });
    after(async () => {
      await ws?.stop();
      await hub?.stop();
    });

    it('signs in at the hub, and offline only with the password last used here, within the hub’s period', async () => {
      const online = await ws.login('wanjiru.njoroge', TEST_USER_PASSWORD);
      assert.equal(online.user.id, officerId, 'the same user id as at the hub');
      const me = await ws.request('GET', '/api/v1/auth/me', { token: online.token });
      assert.equal(me.status, 200);
      assert.equal((me.body as { role: string }).role, 'COMPLIANCE_OFFICER');
      // Somebody who never signed in here cannot sign in offline, even with the right password.
      hubReachable = false;
      const offline = await ws.login('wanjiru.njoroge', TEST_USER_PASSWORD);
      assert.equal(offline.user.id, officerId);
      assert.equal((await ws.request('POST', '/api/v1/auth/login', { body: { username: 'wanjiru.njoroge', password: 'not-her-password' } })).status, 401);
      const stranger = await ws.request('POST', '/api/v1/auth/login', { body: { username: 'amina.otieno', password: TEST_USER_PASSWORD } });
      assert.equal(stranger.status, 401);
      assert.match(JSON.stringify(stranger.body), /signed in here before/);
      // The hub's period (7 days by default) runs out.
      clock.advance(8 * 86_400_000);
      const late = await ws.request('POST', '/api/v1/auth/login', { body: { username: 'wanjiru.njoroge', password: TEST_USER_PASSWORD } });
      assert.equal(late.status, 401);
      assert.match(JSON.stringify(late.body), /too long ago/);
      hubReachable = true;
      clock.advance(-8 * 86_400_000);
    });

    it('forwards hub-only work with the user’s own rights, and offline says it needs the hub', async () => {
      const { token } = await ws.login('wanjiru.njoroge', TEST_USER_PASSWORD);
      // Audit is the hub's; a compliance officer may read it, but not manage users (the hub says 403).
      assert.equal((await ws.request('GET', '/api/v1/audit?limit=5', { token })).status, 200);
      assert.equal((await ws.request('GET', '/api/v1/users', { token })).status, 403);
      hubReachable = false;
      const offline = await ws.request('GET', '/api/v1/audit?limit=5', { token });
      assert.equal(offline.status, 503);
      assert.equal((offline.body as { error: { code: string } }).error.code, 'HUB_UNAVAILABLE');
      assert.match((offline.body as { error: { message: string } }).error.message, /needs the bank's hub/);
      // Cases are answered from the cache, online or not.
      assert.equal((await ws.request('GET', '/api/v1/cases', { token })).status, 200);
      hubReachable = true;
    });

    it('ends local sessions and offline sign-in when the hub deactivates the user', async () => {
      await addTestUser(hub, 'brian.kamau', 'FRAUD_ANALYST');
      const brian = await ws.login('brian.kamau', TEST_USER_PASSWORD);
      const brianId = brian.user.id;
      // Wanjiru owns the cache again (the last to sign in at the hub is its owner).
      const { token: officer } = await ws.login('wanjiru.njoroge', TEST_USER_PASSWORD);
      assert.equal((await ws.request('GET', '/api/v1/auth/me', { token: brian.token })).status, 200);
      assert.equal((await hub.request('POST', `/api/v1/users/${brianId}/deactivate`, { token: adminToken })).status, 200);
      // The user directory syncs down; the workstation ends the session it had given.
      const deadline = Date.now() + 20_000;
      let status = 200;
      while (Date.now() < deadline && status === 200) {
        status = (await ws.request('GET', '/api/v1/auth/me', { token: brian.token })).status;
        if (status === 200) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.equal(status, 401, 'the deactivated user’s local session ended');
      hubReachable = false;
      assert.equal((await ws.request('POST', '/api/v1/auth/login', { body: { username: 'brian.kamau', password: TEST_USER_PASSWORD } })).status, 401);
      hubReachable = true;
      assert.equal((await ws.request('GET', '/api/v1/auth/me', { token: officer })).status, 200, 'others keep working');
    });

    it('fetches an attachment file from the hub on first opening, and keeps it for offline', async () => {
      const { token } = await ws.login('wanjiru.njoroge', TEST_USER_PASSWORD);
      const officerAtHub = (await hub.login('wanjiru.njoroge', TEST_USER_PASSWORD)).token;
      const payment = criticalPayment();
      assert.equal((await hub.request('POST', '/api/v1/fraud-risk/assessments', { token: adminToken, body: payment })).status, 201);
      const page = CasePage.parse((await hub.request('GET', `/api/v1/cases?search=${payment.transactionReference}`, { token: officerAtHub })).body);
      const caseId = page.items[0]!.id;
      const attach = async (fileName: string, text: string) => {
        const res = await hub.request('POST', `/api/v1/cases/${caseId}/attachments`, {
          token: officerAtHub,
          body: { fileName, contentType: 'text/plain', contentBase64: Buffer.from(text).toString('base64') },
        });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        return CaseAttachment.parse(res.body).id;
      };
      const opened = await attach('call-notes.txt', 'Customer confirmed the transfer on a call-back.');
      const neverOpened = await attach('statement.txt', 'Statement lines for March.');
      // The case and its attachment details arrive by sync; the files do not.
      const deadline = Date.now() + 20_000;
      let attachments = 0;
      while (Date.now() < deadline && attachments < 2) {
        const local = await ws.request('GET', `/api/v1/cases/${caseId}`, { token });
        attachments = local.status === 200 ? CaseDetail.parse(local.body).attachments.length : 0;
        if (attachments < 2) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.equal(attachments, 2);
      const download = (id: string) => fetch(`${ws.url}/api/v1/cases/${caseId}/attachments/${id}`, { headers: { authorization: `Bearer ${token}` } });
      const first = await download(opened);
      assert.equal(first.status, 200);
      assert.equal(await first.text(), 'Customer confirmed the transfer on a call-back.');
      hubReachable = false;
      const offline = await download(opened);
      assert.equal(offline.status, 200, 'opened once online: kept for offline');
      assert.equal(await offline.text(), 'Customer confirmed the transfer on a call-back.');
      const missing = await download(neverOpened);
      assert.equal(missing.status, 503);
      assert.equal(((await missing.json()) as { error: { code: string } }).error.code, 'HUB_UNAVAILABLE');
      hubReachable = true;
    });

    it('ends the sessions of a user whose tenants the hub changed, and empties the cache it held for them', async () => {
      const amina = await ws.login('amina.otieno', TEST_USER_PASSWORD);
      // She owns the cache now: her scope (tenant WEKEZA-KE, with the case of the attachment test) is synced.
      await ws.waitFor(amina.token, (s) => s.cacheOwner === amina.user.id && s.initialSync === null && s.lastSyncAt !== null);
      const held = CasePage.parse((await ws.request('GET', '/api/v1/cases?limit=200', { token: amina.token })).body);
      assert.ok(
        held.items.some((c) => c.tenantId === 'WEKEZA-KE'),
        'her tenant’s cases are on the workstation',
      );
      const users = (await hub.request('GET', '/api/v1/users', { token: adminToken })).body as Array<{ id: string; version: number }>;
      const before = users.find((u) => u.id === amina.user.id)!;
      const moved = await hub.request('PATCH', `/api/v1/users/${amina.user.id}`, {
        token: adminToken,
        body: { tenantIds: ['WEKEZA-MFB'], expectedVersion: before.version },
      });
      assert.equal(moved.status, 200, JSON.stringify(moved.body));
      const deadline = Date.now() + 20_000;
      let status = 200;
      while (Date.now() < deadline && status === 200) {
        status = (await ws.request('GET', '/api/v1/auth/me', { token: amina.token })).status;
        if (status === 200) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.equal(status, 401, 'her session ended when her tenants changed');
      // Offline she cannot sign in with what this workstation knew of her old rights.
      hubReachable = false;
      assert.equal((await ws.request('POST', '/api/v1/auth/login', { body: { username: 'amina.otieno', password: TEST_USER_PASSWORD } })).status, 401);
      hubReachable = true;
      // Online she signs in with her new rights: only tenant WEKEZA-MFB's cases are synced.
      const again = await ws.login('amina.otieno', TEST_USER_PASSWORD);
      assert.deepEqual(again.user.tenantIds, ['WEKEZA-MFB']);
      await ws.waitFor(again.token, (s) => s.initialSync === null && s.lastSyncAt !== null);
      const cases = CasePage.parse((await ws.request('GET', '/api/v1/cases?limit=200', { token: again.token })).body);
      assert.ok(cases.items.every((c) => c.tenantId === 'WEKEZA-MFB'));
    });

    it('keeps the cache encrypted at rest', async () => {
      const file = path.join(ws.dataDir, 'workstation.sqlite');
      const header = fs.readFileSync(file).subarray(0, 16).toString('latin1');
      assert.notEqual(header, 'SQLite format 3\u0000', 'not a plain SQLite file');
      const bytes = fs.readFileSync(file).toString('latin1');
      assert.ok(!bytes.includes('wanjiru.njoroge'), 'no username in clear');
      assert.throws(() => new SqliteDatabase(file, { readonly: true }).prepare('select count(*) from users').get(), /not a database|encrypted/);
    });
  });
}
