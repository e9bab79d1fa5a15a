import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS, stopTestPostgres } from '../testing/databases.ts';
import { addTestUser, startTestService, TEST_USER_PASSWORD } from '../testing/service.ts';
import { DemoInfo } from '../../../shared/src/demo.ts';
import { SYSTEM_ACTOR } from '../commands/bus.ts';
import { deactivateUser } from '../users/users.ts';

after(stopTestPostgres);

/**
 * The sign-in page's demo panel (issue 11 §4): a service started with --demo lists its demo
 * users and their password without a token; any other service answers `{ demo: false }` and
 * names nobody, even when users with the demo names exist.
 */
for (const dialect of DIALECTS) {
  describe(`demo sign-in info on ${dialect}`, { timeout: 300_000 }, () => {
    it('in demo mode: lists the demo users that exist and are active, with the password, to anyone', async () => {
      const svc = await startTestService(dialect, {
        demo: { password: TEST_USER_PASSWORD, users: [{ username: 'amina.otieno' }, { username: 'faith.wambui' }, { username: 'not.created' }] },
      });
      try {
        await addTestUser(svc, 'amina.otieno', 'FRAUD_ANALYST');
        const faith = await addTestUser(svc, 'faith.wambui', 'RISK_MANAGER');
        const res = await svc.request('GET', '/api/v1/demo');
        assert.equal(res.status, 200, 'no token needed');
        const info = DemoInfo.parse(res.body);
        assert.equal(info.demo, true);
        assert.equal(info.password, TEST_USER_PASSWORD);
        assert.deepEqual(
          info.users.map((u) => [u.username, u.displayName, u.role]),
          [
            ['amina.otieno', 'Amina Otieno', 'FRAUD_ANALYST'],
            ['faith.wambui', 'Faith Wambui', 'RISK_MANAGER'],
          ],
          'only users that exist',
        );
        // The listed password really signs them in.
        assert.equal((await svc.login('amina.otieno', info.password!)).user.username, 'amina.otieno');
        await svc.service.context.bus.execute(deactivateUser, { id: faith, reason: 'left the demo' }, SYSTEM_ACTOR);
        const after = DemoInfo.parse((await svc.request('GET', '/api/v1/demo')).body);
        assert.deepEqual(
          after.users.map((u) => u.username),
          ['amina.otieno'],
          'a deactivated user is not offered',
        );
      } finally {
        await svc.stop();
      }
    });

    it('outside demo mode: {demo: false}, no password, no user — even when the demo names exist', async () => {
      const svc = await startTestService(dialect);
      try {
        await addTestUser(svc, 'amina.otieno', 'FRAUD_ANALYST');
        const res = await svc.request('GET', '/api/v1/demo');
        assert.equal(res.status, 200);
        assert.deepEqual(res.body, { demo: false, password: null, users: [] });
        assert.ok(!JSON.stringify(res.body).includes('amina'));
      } finally {
        await svc.stop();
      }
    });
  });
}
