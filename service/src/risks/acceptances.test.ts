import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS, stopTestPostgres } from '../testing/databases.ts';
import { addTestTeam, startTestService, TEST_USER_PASSWORD, type TestService } from '../testing/service.ts';
import { ManualClock } from '../clock.ts';
import { Risk, RiskAcceptance, RiskDetail } from '../../../shared/src/risk-register.ts';
import { expireDueAcceptances } from './acceptance-expiry.ts';

after(stopTestPostgres);

const NOW = '2026-11-20T12:00:00.000Z';
const DAY = 86_400_000;
const TENANT = 'WEKEZA-KE';
const fieldsOf = (body: unknown) => ((body as { error: { fields?: Array<{ path: string }> } }).error.fields ?? []).map((f) => f.path);

for (const dialect of DIALECTS) {
  describe(`risk acceptance on ${dialect}`, { timeout: 300_000 }, () => {
    let svc: TestService;
    let clock: ManualClock;
    let ids: Record<string, string>;
    let tokens: Record<string, string>;
    before(async () => {
      clock = new ManualClock(NOW);
      svc = await startTestService(dialect, { clock });
      // The expiry job is driven by hand here: the scheduler would run it on its own a minute later.
      await svc.service.context.riskScheduler?.stop();
      ({ ids, tokens } = await addTestTeam(svc, [
        ['ruth.mutua', 'RISK_OFFICER', [TENANT]],
        ['faith.wambui', 'RISK_MANAGER'],
        ['peter.omondi', 'RISK_MANAGER'],
      ]));
    });
    after(async () => svc?.stop());

    const call = async (method: string, path: string, token: string, body?: unknown, status = 200) => {
      const res = await svc.request(method, path, { token, ...(body === undefined ? {} : { body }) });
      assert.equal(res.status, status, `${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    };
    const officer = () => tokens['ruth.mutua']!;
    const assessedRisk = async (title: string) => {
      const risk = Risk.parse(
        await call(
          'POST',
          '/api/v1/risks',
          officer(),
          { tenantId: TENANT, title, category: 'MARKET', businessUnit: 'Treasury', ownerId: ids['ruth.mutua'] },
          201,
        ),
      );
      await call('POST', `/api/v1/risks/${risk.id}/assessments`, officer(), { inherentLikelihood: 2, inherentImpact: 2, expectedVersion: risk.version }, 201);
      return risk;
    };
    const detail = async (id: string) => RiskDetail.parse(await call('GET', `/api/v1/risks/${id}`, officer()));
    const request = async (riskId: string, token: string, expiresAt: string) =>
      RiskAcceptance.parse(
        await call('POST', `/api/v1/risks/${riskId}/acceptances`, token, { justification: 'Exposure is within appetite for one quarter', expiresAt }, 201),
      );
    const decide = (acceptance: RiskAcceptance, verb: 'approve' | 'reject' | 'withdraw', token: string, note = '') =>
      svc.request('POST', `/api/v1/risk-acceptances/${acceptance.id}/${verb}`, { token, body: { note, expectedVersion: acceptance.version } });

    it('requested → approved by someone else (four-eyes) → expired by the job, which reopens the risk', async () => {
      const risk = await assessedRisk('Small FX open position');
      const unassessed = Risk.parse(
        await call(
          'POST',
          '/api/v1/risks',
          officer(),
          { tenantId: TENANT, title: 'Not yet scored', category: 'MARKET', businessUnit: 'Treasury', ownerId: ids['ruth.mutua'] },
          201,
        ),
      );
      const early = await svc.request('POST', `/api/v1/risks/${unassessed.id}/acceptances`, {
        token: officer(),
        body: { justification: 'Exposure is within appetite', expiresAt: '2027-01-01T00:00:00Z' },
      });
      assert.equal(early.status, 409, 'an unassessed risk cannot be accepted');
      const past = await svc.request('POST', `/api/v1/risks/${risk.id}/acceptances`, {
        token: officer(),
        body: { justification: 'Exposure is within appetite', expiresAt: '2026-01-01T00:00:00Z' },
      });
      assert.equal(past.status, 400);
      assert.deepEqual(fieldsOf(past.body), ['body.expiresAt']);

      const expiresAt = new Date(Date.parse(NOW) + 30 * DAY).toISOString();
      const requested = await request(risk.id, officer(), expiresAt);
      assert.equal(requested.status, 'REQUESTED');
      assert.equal(requested.requestedByName, 'Ruth Mutua');
      const duplicate = await svc.request('POST', `/api/v1/risks/${risk.id}/acceptances`, {
        token: officer(),
        body: { justification: 'Exposure is within appetite', expiresAt },
      });
      assert.equal(duplicate.status, 409, 'one open acceptance per risk');
      assert.equal((await decide(requested, 'approve', officer())).status, 403, 'risk officers do not hold risk:approve');

      const own = await request((await assessedRisk('Manager-owned risk')).id, tokens['faith.wambui']!, expiresAt);
      const selfApproval = await decide(own, 'approve', tokens['faith.wambui']!);
      assert.equal(selfApproval.status, 403, 'four-eyes: never the requester');
      assert.match(JSON.stringify(selfApproval.body), /four-eyes/);

      const approvedRes = await decide(requested, 'approve', tokens['faith.wambui']!, 'within appetite');
      assert.equal(approvedRes.status, 200, JSON.stringify(approvedRes.body));
      const approved = RiskAcceptance.parse(approvedRes.body);
      assert.equal(approved.status, 'APPROVED');
      assert.equal(approved.decidedByName, 'Faith Wambui');
      assert.equal((await detail(risk.id)).risk.status, 'TREATED');
      assert.equal((await decide(approved, 'reject', tokens['peter.omondi']!, 'too late now')).status, 409, 'an approved acceptance is not rejected');

      assert.deepEqual(await expireDueAcceptances(svc.service.context.bus, clock.now()), [], 'nothing is due before the expiry date');
      clock.advance(30 * DAY + 1);
      const expired = await expireDueAcceptances(svc.service.context.bus, clock.now());
      assert.deepEqual(expired, [approved.id]);
      // Sessions expire with the clock too: everyone signs in again.
      for (const name of Object.keys(tokens)) tokens[name] = (await svc.login(name, TEST_USER_PASSWORD)).token;
      const after = await detail(risk.id);
      assert.equal(after.risk.status, 'ASSESSED', 'the risk reopens for a new decision');
      const acceptance = after.acceptances.find((a) => a.id === approved.id);
      assert.equal(acceptance?.status, 'EXPIRED');
      assert.equal(acceptance?.expiredAt, clock.now().toISOString());
      assert.deepEqual(await expireDueAcceptances(svc.service.context.bus, clock.now()), [], 'expired once');
      const audit = await svc.service.context.db.kysely
        .selectFrom('audit_log')
        .select(['command', 'entity_type', 'actor_id'])
        .where('command', '=', 'risk-acceptance.expire-due')
        .execute();
      assert.deepEqual(audit.map((a) => a.entity_type).sort(), ['risk', 'risk-acceptance']);
      assert.ok(audit.every((a) => a.actor_id === 'system'));
    });

    it('requested → rejected with a reason; requested or approved → withdrawn (an approved one reopens the risk)', async () => {
      const expiresAt = new Date(clock.now().getTime() + 90 * DAY).toISOString();
      const risk = await assessedRisk('Liquidity buffer shortfall');
      const requested = await request(risk.id, officer(), expiresAt);
      const noReason = await decide(requested, 'reject', tokens['faith.wambui']!);
      assert.equal(noReason.status, 400);
      assert.deepEqual(fieldsOf(noReason.body), ['body.note']);
      const stale = await svc.request('POST', `/api/v1/risk-acceptances/${requested.id}/reject`, {
        token: tokens['faith.wambui'],
        body: { note: 'not within appetite', expectedVersion: requested.version + 1 },
      });
      assert.equal(stale.status, 409);
      const rejected = RiskAcceptance.parse((await decide(requested, 'reject', tokens['faith.wambui']!, 'not within appetite')).body);
      assert.equal(rejected.status, 'REJECTED');
      assert.equal(rejected.decisionNote, 'not within appetite');
      assert.equal((await decide(rejected, 'approve', tokens['peter.omondi']!)).status, 409, 'a rejected acceptance stays rejected');

      const second = await request(risk.id, officer(), expiresAt);
      const withdrawn = RiskAcceptance.parse((await decide(second, 'withdraw', officer(), 'plan instead')).body);
      assert.equal(withdrawn.status, 'WITHDRAWN');

      const third = await request(risk.id, officer(), expiresAt);
      const approved = RiskAcceptance.parse((await decide(third, 'approve', tokens['peter.omondi']!)).body);
      assert.equal((await detail(risk.id)).risk.status, 'TREATED');
      const pulled = RiskAcceptance.parse((await decide(approved, 'withdraw', officer(), 'exposure grew')).body);
      assert.equal(pulled.status, 'WITHDRAWN');
      assert.equal((await detail(risk.id)).risk.status, 'ASSESSED');
      assert.deepEqual((await detail(risk.id)).acceptances.map((a) => a.status).sort(), ['REJECTED', 'WITHDRAWN', 'WITHDRAWN']);
    });

    it('still expires the acceptance of a risk deleted in the meantime, and the other due ones with it', async () => {
      const expiresAt = new Date(clock.now().getTime() + DAY).toISOString();
      const kept = await assessedRisk('Kept risk');
      const gone = await assessedRisk('Risk recorded by mistake');
      const approve = async (riskId: string) =>
        RiskAcceptance.parse((await decide(await request(riskId, officer(), expiresAt), 'approve', tokens['faith.wambui']!)).body);
      const keptAcceptance = await approve(kept.id);
      const goneAcceptance = await approve(gone.id);
      const goneNow = (await detail(gone.id)).risk;
      await call('DELETE', `/api/v1/risks/${gone.id}?expectedVersion=${goneNow.version}`, officer(), undefined, 204);
      assert.equal((await svc.request('GET', `/api/v1/risks/${gone.id}`, { token: officer() })).status, 404);
      clock.advance(DAY + 1);
      const expired = await expireDueAcceptances(svc.service.context.bus, clock.now());
      assert.deepEqual([...expired].sort(), [keptAcceptance.id, goneAcceptance.id].sort());
      for (const name of Object.keys(tokens)) tokens[name] = (await svc.login(name, TEST_USER_PASSWORD)).token;
      assert.equal((await detail(kept.id)).risk.status, 'ASSESSED');
    });
  });
}
