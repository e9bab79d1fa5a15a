import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, DIALECTS, stopTestPostgres } from '../../testing/databases.ts';
import { openDatabase } from '../../db/database.ts';
import { oidcAdapterFor, pruneExpired, revokeGrantWithin, wasRevoked } from './adapter.ts';

after(stopTestPostgres);

for (const dialect of DIALECTS) {
  describe(`oidc_store adapter on ${dialect}`, { timeout: 120_000 }, () => {
    it('stores, finds, consumes, expires and destroys oidc-provider models', async () => {
      const database = await createTestDatabase(dialect);
      const db = await openDatabase(database.target);
      try {
        let wall = Date.parse('2026-03-02T07:00:00Z');
        const Adapter = oidcAdapterFor({ db, findClient: async (id) => (id === 'wkz_1' ? { client_id: 'wkz_1' } : undefined), wallNow: () => wall });
        const tokens = new Adapter('AccessToken');
        const sessions = new Adapter('Session');
        const interactions = new Adapter('Interaction');

        await tokens.upsert('at-1', { jti: 'at-1', grantId: 'g-1', kind: 'AccessToken', extra: { consent_id: 'c-1' } }, 600);
        await tokens.upsert('at-2', { jti: 'at-2', grantId: 'g-1', kind: 'AccessToken' }, 600);
        await sessions.upsert('s-1', { uid: 'u-1', accountId: 'CUST-1' }, 3600);
        await interactions.upsert('i-1', { uid: 'i-1', userCode: 'ABCD' }, 3600);
        assert.deepEqual(await tokens.find('at-1'), { jti: 'at-1', grantId: 'g-1', kind: 'AccessToken', extra: { consent_id: 'c-1' } });
        assert.equal(await sessions.find('at-1'), undefined, 'models do not mix');
        assert.deepEqual(await sessions.findByUid('u-1'), { uid: 'u-1', accountId: 'CUST-1' });
        assert.deepEqual(await interactions.findByUserCode('ABCD'), { uid: 'i-1', userCode: 'ABCD' });
        assert.deepEqual(await new Adapter('Client').find('wkz_1'), { client_id: 'wkz_1' }, 'clients come from the apps');

        // An upsert replaces the payload (sessions are saved again on every request).
        await sessions.upsert('s-1', { uid: 'u-1', accountId: 'CUST-2' }, 3600);
        assert.equal((await sessions.find('s-1'))?.accountId, 'CUST-2');

        await tokens.consume('at-2');
        assert.equal((await tokens.find('at-2'))?.consumed, Math.floor(wall / 1000));

        await tokens.destroy('at-2');
        assert.equal(await tokens.find('at-2'), undefined);
        assert.equal(await wasRevoked(db, 'at-2'), true, 'a destroyed token is known as revoked');
        assert.equal(await wasRevoked(db, 'never-issued'), false);

        wall += 601_000;
        assert.equal(await tokens.find('at-1'), undefined, 'expired');
        assert.ok(await sessions.find('s-1'), 'not yet expired');
        assert.ok((await pruneExpired(db, wall)) >= 1);

        await tokens.upsert('at-3', { jti: 'at-3', grantId: 'g-2', kind: 'AccessToken' }, 600);
        await new Adapter('RefreshToken').upsert('rt-3', { jti: 'rt-3', grantId: 'g-2', kind: 'RefreshToken' }, 3600);
        await new Adapter('Grant').upsert('g-2', { jti: 'g-2', accountId: 'CUST-1' }, 3600);
        await db.kysely.transaction().execute((trx) => revokeGrantWithin(trx, 'g-2', wall));
        assert.equal(await tokens.find('at-3'), undefined);
        assert.equal(await new Adapter('RefreshToken').find('rt-3'), undefined);
        assert.equal(await new Adapter('Grant').find('g-2'), undefined);
        assert.equal(await wasRevoked(db, 'at-3'), true);
        assert.equal(await wasRevoked(db, 'rt-3'), true);

        await tokens.upsert('at-4', { jti: 'at-4', grantId: 'g-3', kind: 'AccessToken' }, 600);
        await tokens.revokeByGrantId('g-3');
        assert.equal(await tokens.find('at-4'), undefined);
        assert.equal(await wasRevoked(db, 'at-4'), true);
      } finally {
        await db.close();
        await database.drop();
      }
    });
  });
}
