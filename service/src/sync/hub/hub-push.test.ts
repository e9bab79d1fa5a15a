import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { startService } from '../../app.ts';
import { DIALECTS, stopTestPostgres } from '../../testing/databases.ts';
import { derivedId } from '../../commands/bus.ts';
import { commandVersions, SyncHubInfo, SyncPushResponse } from '../../../../shared/src/sync.ts';
import { rowsOf, startHubFixture, WORKSTATION, type HubFixture } from './hub-fixture.ts';

/** The hub's write side of sync: a workstation's queued mutations pushed in order. */

after(stopTestPostgres);

for (const dialect of DIALECTS) {
  describe(`hub sync push on ${dialect}`, { timeout: 240_000 }, () => {
    let f: HubFixture;
    before(async () => {
      f = await startHubFixture(dialect);
    });
    after(async () => f?.svc.stop());

    it('applies a batch in order: a repeat is a duplicate, a stale version is rejected with the current rows, the rest still applies', async () => {
      const amina = f.tokens['amina.otieno']!;
      const caseId = f.casesA[1]!;
      const before = await f.caseOf(amina, caseId);
      const assign = f.mutation('case.assign', { caseId, expectedVersion: before.version });
      const stale = f.mutation('case.tag', { caseId, tags: ['offline'], expectedVersion: before.version });
      const comment = f.mutation('case.comment', { caseId, body: 'Reviewed offline.' });
      const first = await f.push(amina, [assign, stale, comment]);
      assert.equal(first.stoppedAt, null);
      assert.deepEqual(
        first.results.map((r) => r.status),
        ['applied', 'rejected', 'applied'],
      );
      const refused = first.results[1]!;
      assert.equal(refused.error?.status, 409);
      assert.equal(refused.error?.code, 'CONFLICT');
      assert.equal(rowsOf(refused.current ?? [], 'cases')[0]!.version, before.version + 1);
      assert.equal(rowsOf(refused.current ?? [], 'cases')[0]!.assignee_id, f.ids['amina.otieno']);

      // The comment has the id the workstation gave it offline (derived from the mutation id).
      const { kysely } = f.svc.service.context.db;
      const comments = await kysely.selectFrom('case_comments').selectAll().where('case_id', '=', caseId).execute();
      assert.deepEqual(
        comments.map((c) => c.id),
        [derivedId(comment.mutationId, 0)],
      );

      // The same batch again (the answer was lost): nothing runs twice.
      const again = await f.push(amina, [assign, stale, comment]);
      assert.deepEqual(
        again.results.map((r) => r.status),
        ['duplicate', 'duplicate', 'duplicate'],
      );
      assert.equal(again.results[1]!.error?.status, 409, 'a repeated refusal says what the hub said');
      assert.equal(again.results[0]!.error, null);
      const audits = await kysely
        .selectFrom('audit_log')
        .select(['command'])
        .where('entity_id', '=', caseId)
        .where('command', 'in', ['case.assign', 'case.comment', 'case.tag'])
        .execute();
      assert.deepEqual(audits.map((a) => a.command).sort(), ['case.assign', 'case.comment']);
      const recorded = await kysely
        .selectFrom('sync_mutations')
        .select(['mutation_id', 'status', 'user_id'])
        .where('mutation_id', 'in', [assign.mutationId, stale.mutationId, comment.mutationId])
        .execute();
      assert.deepEqual(recorded.map((r) => `${r.status}:${r.user_id}`).sort(), [
        `applied:${f.ids['amina.otieno']}`,
        `applied:${f.ids['amina.otieno']}`,
        `rejected:${f.ids['amina.otieno']}`,
      ]);
    });

    it('refuses commands a workstation may not run, and versions this hub does not accept', async () => {
      const amina = f.tokens['amina.otieno']!;
      const caseId = f.casesA[2]!;
      const notSyncable = f.mutation('user.create', { username: 'mallory', displayName: 'M', role: 'RISK_MANAGER', tenantIds: [], password: 'x' });
      const skewed = f.mutation('case.comment', { caseId, body: 'From a newer workstation.' }, 2);
      const fine = f.mutation('case.comment', { caseId, body: 'From this version.' });
      const res = await f.push(amina, [notSyncable, skewed, fine]);
      assert.deepEqual(
        res.results.map((r) => [r.status, r.error?.status ?? null, r.error?.code ?? null]),
        [
          ['rejected', 400, 'BAD_REQUEST'],
          ['rejected', 426, 'VERSION_SKEW'],
          ['applied', null, null],
        ],
      );
      const { kysely } = f.svc.service.context.db;
      assert.equal((await kysely.selectFrom('users').select('id').where('username', '=', 'mallory').execute()).length, 0);
      assert.equal((await kysely.selectFrom('case_comments').select('id').where('case_id', '=', caseId).execute()).length, 1);
    });

    it('advertises the command versions it accepts, and refuses others as version skew', async () => {
      // A second hub over the same database that runs a newer case.comment (a hub upgraded first).
      const newer = await startService({
        mode: dialect === 'sqlite' ? 'standalone' : 'hub',
        host: '127.0.0.1',
        port: 0,
        dataDir: f.svc.database.dataDir,
        database: f.svc.database.target,
        rendererDir: null,
        logger: pino({ level: 'silent' }),
        env: { WEKEZA_OFFLINE_SIGN_IN_DAYS: '3' },
        checkResponses: true,
        syncCommandVersions: { ...commandVersions(), 'case.comment': 2 },
      });
      try {
        const amina = f.tokens['amina.otieno']!;
        const get = async (path: string) => (await fetch(`${newer.url}${path}`, { headers: { authorization: `Bearer ${amina}` } })).json();
        const info = SyncHubInfo.parse(await get('/api/v1/sync/info'));
        assert.equal(info.commandVersions['case.comment'], 2);
        assert.equal(info.offlineSignInDays, 3);
        assert.equal(info.hubId, SyncHubInfo.parse((await f.call(amina, 'GET', '/api/v1/sync/info')).body).hubId, 'one database, one hub id');
        const caseId = f.casesA[5]!;
        const res = await fetch(`${newer.url}/api/v1/sync/push`, {
          method: 'POST',
          headers: { authorization: `Bearer ${amina}`, 'content-type': 'application/json' },
          body: JSON.stringify({ workstationId: WORKSTATION, mutations: [f.mutation('case.comment', { caseId, body: 'Old workstation.' })] }),
        });
        const pushed = SyncPushResponse.parse(await res.json());
        assert.equal(pushed.results[0]!.status, 'rejected');
        assert.equal(pushed.results[0]!.error?.code, 'VERSION_SKEW');
        const { kysely } = f.svc.service.context.db;
        assert.equal((await kysely.selectFrom('case_comments').select('id').where('case_id', '=', caseId).execute()).length, 0);
      } finally {
        await newer.close();
      }
    });

    it('acts as the token says: the payload cannot name another actor or reach another tenant', async () => {
      const amina = f.tokens['amina.otieno']!;
      const caseId = f.casesA[3]!;
      const before = await f.caseOf(amina, caseId);
      const res = await f.push(amina, [
        f.mutation('case.assign', { caseId, expectedVersion: before.version, actor: { id: f.ids['brian.kamau'], role: 'RISK_MANAGER' } }),
        f.mutation('case.comment', { caseId, body: 'Who wrote this?', authorId: f.ids['brian.kamau'], authorName: 'Brian Kamau' }),
      ]);
      assert.deepEqual(
        res.results.map((r) => r.status),
        ['applied', 'applied'],
      );
      const after = await f.caseOf(amina, caseId);
      assert.equal(after.assigneeId, f.ids['amina.otieno']);
      const { kysely } = f.svc.service.context.db;
      const [written] = await kysely.selectFrom('case_comments').selectAll().where('case_id', '=', caseId).execute();
      assert.equal(written?.author_id, f.ids['amina.otieno']);

      // Bob acts for tenant B: tenant A's case does not exist for him (404), and nothing of it comes back.
      const bob = await f.push(f.tokens['bob.mwangi']!, [f.mutation('case.comment', { caseId, body: 'Not my tenant.' })]);
      assert.equal(bob.results[0]!.status, 'rejected');
      assert.equal(bob.results[0]!.error?.status, 404);
      assert.deepEqual(bob.results[0]!.current, []);
      assert.equal((await kysely.selectFrom('case_comments').select('id').where('case_id', '=', caseId).execute()).length, 1);
    });
  });
}
