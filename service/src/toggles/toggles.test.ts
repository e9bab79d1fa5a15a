import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS, stopTestPostgres } from '../testing/databases.ts';
import { addTestUser, startTestService, TEST_ADMIN_PASSWORD, TEST_USER_PASSWORD, type TestService } from '../testing/service.ts';
import { criticalPayment } from '../testing/fixtures.ts';
import { ToggleIndex, toEntry, type ToggleEntry } from './resolver.ts';
import { Assessment, AssessmentResponse } from '../../../shared/src/assessments.ts';
import { ApiErrorBody } from '../../../shared/src/api.ts';
import { ToggleConfiguration, ToggleResolution, ToggleStatistics, type ToggleInput } from '../../../shared/src/toggles.ts';
import { EXAMPLE_BANK_API, newConfigurationTemplate } from '../../../shared/src/decision-engine-defaults.ts';
import { startBankEngineSimulator, type BankEngineSimulator } from '../bank-engine/simulator.ts';
import type { Announcement } from '../commands/bus.ts';

after(stopTestPostgres);

const T = (iso: string) => Date.parse(iso);
let n = 0;
function entry(patch: Partial<ToggleEntry> & { isEnabled: boolean }): ToggleEntry {
  n += 1;
  return toEntry({
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    tenantId: 'WEKEZA-KE',
    paymentType: null,
    localInstrumentationCode: null,
    clearingSystemCode: null,
    enabledReason: 'on',
    disabledReason: 'off',
    fromMs: -Infinity,
    untilMs: Infinity,
    priority: 100,
    disabledBehaviour: 'APPROVE',
    ...patch,
  });
}

describe('toggle resolution', () => {
  const tenantOff = entry({ isEnabled: false, disabledReason: 'tenant maintenance' });
  const rtgsOn = entry({ isEnabled: true, paymentType: 'RTGS' });
  const kepssOff = entry({
    isEnabled: false,
    paymentType: 'RTGS',
    clearingSystemCode: 'KEPSS',
    fromMs: T('2026-11-28T19:00:00Z'),
    untilMs: T('2026-11-29T03:00:00Z'),
  });
  const instrumentOn = entry({ isEnabled: true, localInstrumentationCode: 'PESALINK', priority: 50 });
  const instrumentOffLowPriority = entry({ isEnabled: false, localInstrumentationCode: 'PESALINK', priority: 60 });
  const lateOverlap = entry({ isEnabled: true, paymentType: 'EFT', fromMs: T('2026-11-20T00:00:00Z') });
  const earlyOverlap = entry({ isEnabled: false, paymentType: 'EFT', fromMs: T('2026-11-10T00:00:00Z') });
  const otherTenant = entry({ isEnabled: false, tenantId: 'WEKEZA-UG' });
  const index = new ToggleIndex([tenantOff, rtgsOn, kepssOff, instrumentOn, instrumentOffLowPriority, lateOverlap, earlyOverlap, otherTenant]);
  const at = T('2026-11-28T12:00:00Z');

  const cases: Array<[string, Parameters<ToggleIndex['winner']>[0], number, ToggleEntry | null]> = [
    ['tenant only', { tenantId: 'WEKEZA-KE', paymentType: 'MOBILE_MONEY' }, at, tenantOff],
    ['payment type beats tenant', { tenantId: 'WEKEZA-KE', paymentType: 'RTGS' }, at, rtgsOn],
    ['clearing system, outside its window', { tenantId: 'WEKEZA-KE', paymentType: 'RTGS', clearingSystemCode: 'KEPSS' }, at, rtgsOn],
    ['clearing system, inside its window', { tenantId: 'WEKEZA-KE', paymentType: 'RTGS', clearingSystemCode: 'KEPSS' }, T('2026-11-28T22:00:00Z'), kepssOff],
    ['exactly at effective_from it applies', { tenantId: 'WEKEZA-KE', paymentType: 'RTGS', clearingSystemCode: 'KEPSS' }, T('2026-11-28T19:00:00Z'), kepssOff],
    ['one millisecond before it does not', { tenantId: 'WEKEZA-KE', paymentType: 'RTGS', clearingSystemCode: 'KEPSS' }, T('2026-11-28T19:00:00Z') - 1, rtgsOn],
    [
      'exactly at effective_until it no longer applies',
      { tenantId: 'WEKEZA-KE', paymentType: 'RTGS', clearingSystemCode: 'KEPSS' },
      T('2026-11-29T03:00:00Z'),
      rtgsOn,
    ],
    [
      'one millisecond before the end it still does',
      { tenantId: 'WEKEZA-KE', paymentType: 'RTGS', clearingSystemCode: 'KEPSS' },
      T('2026-11-29T03:00:00Z') - 1,
      kepssOff,
    ],
    [
      'local instrument beats payment type; priority breaks the tie',
      { tenantId: 'WEKEZA-KE', paymentType: 'RTGS', localInstrumentationCode: 'PESALINK' },
      at,
      instrumentOn,
    ],
    ['equal level and priority: the latest effective_from wins', { tenantId: 'WEKEZA-KE', paymentType: 'EFT' }, at, lateOverlap],
    ['before the later one starts, the earlier one applies', { tenantId: 'WEKEZA-KE', paymentType: 'EFT' }, T('2026-11-15T00:00:00Z'), earlyOverlap],
    ['another tenant', { tenantId: 'WEKEZA-UG', paymentType: 'RTGS' }, at, otherTenant],
    ['no configuration: null (enabled by default)', { tenantId: 'WEKEZA-TZ', paymentType: 'RTGS' }, at, null],
  ];
  for (const [name, context, instant, expected] of cases) {
    it(name, () => assert.equal(index.winner(context, instant)?.id ?? null, expected?.id ?? null));
  }

  it('explains the winner and the candidates it beat', () => {
    const r = index.resolve({ tenantId: 'WEKEZA-KE', paymentType: 'RTGS', clearingSystemCode: 'KEPSS' }, at);
    assert.equal(r.enabled, true);
    assert.equal(r.matchedConfigurationId, rtgsOn.id);
    const verdicts = Object.fromEntries(r.candidates.map((c) => [c.id, c.verdict]));
    assert.equal(verdicts[rtgsOn.id], 'winner');
    assert.match(verdicts[kepssOff.id] ?? '', /not yet effective/);
    assert.match(verdicts[tenantOff.id] ?? '', /less specific/);
    const none = index.resolve({ tenantId: 'WEKEZA-TZ' }, at);
    assert.equal(none.enabled, true);
    assert.match(none.reason, /enabled by default/);
  });

  it('knows the next window boundary', () => {
    assert.equal(index.nextBoundary(at), T('2026-11-28T19:00:00Z'));
    assert.equal(index.nextBoundary(T('2026-11-28T19:00:00Z')), T('2026-11-29T03:00:00Z'));
    assert.equal(index.nextBoundary(T('2026-12-01T00:00:00Z')), null);
  });
});

for (const dialect of DIALECTS) {
  describe(`fraud API toggles on ${dialect}`, () => {
    let svc: TestService;
    let admin: string;
    let secondAdmin: string;
    let analyst: string;
    let apiKey: string;
    let engine: BankEngineSimulator;
    const BASE = '/api/v1/fraud-api-toggle';

    before(async () => {
      svc = await startTestService(dialect);
      engine = await startBankEngineSimulator({ latencyMs: 2, auth: { kind: 'API_KEY', headerName: 'X-Api-Key', apiKey: 'toggle-test-key' } });
      admin = (await svc.login('admin', TEST_ADMIN_PASSWORD)).token;
      await addTestUser(svc, 'faith.wambui', 'RISK_MANAGER');
      secondAdmin = (await svc.login('faith.wambui', TEST_USER_PASSWORD)).token;
      await addTestUser(svc, 'amina.otieno', 'FRAUD_ANALYST');
      analyst = (await svc.login('amina.otieno', TEST_USER_PASSWORD)).token;
      apiKey = (
        (
          await svc.request('POST', '/api/v1/api-clients', {
            token: admin,
            body: { name: 'Core payment engine', role: 'PAYMENT_ENGINE', tenantIds: ['WEKEZA-KE', 'WEKEZA-TOG'] },
          })
        ).body as { apiKey: string }
      ).apiKey;
    });
    after(async () => {
      await svc.stop();
      await engine.close();
    });

    const check = async (query: string, token = analyst) => ToggleResolution.parse((await svc.request('GET', `${BASE}/check?${query}`, { token })).body);

    it('lets admins change toggles and everyone else check; reasons are required', async () => {
      const input: ToggleInput = {
        tenantId: 'WEKEZA-KE',
        paymentType: 'MOBILE_MONEY',
        isEnabled: false,
        disabledReason: 'M-PESA engine maintenance',
        disabledBehaviour: 'LOCAL_RULES_ONLY',
      };
      assert.equal((await svc.request('POST', `${BASE}/configurations`, { token: analyst, body: input })).status, 403);
      const noReason = await svc.request('POST', `${BASE}/disable`, { token: admin, body: { tenantId: 'WEKEZA-KE', paymentType: 'RTGS' } });
      assert.equal(noReason.status, 400);
      assert.equal(ApiErrorBody.parse(noReason.body).error.fields?.[0]?.path, 'body.reason');
      const created = await svc.request('POST', `${BASE}/configurations`, { token: admin, body: input });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const config = ToggleConfiguration.parse(created.body);
      assert.equal(config.level, 'PAYMENT_TYPE');
      assert.equal(config.state, 'EFFECTIVE');
      const r = await check('tenantId=WEKEZA-KE&paymentType=MOBILE_MONEY');
      assert.equal(r.enabled, false);
      assert.equal(r.matchedConfigurationId, config.id);
      assert.match(r.reason, /M-PESA engine maintenance/);
      // The engine's own machine client may check too.
      assert.equal((await svc.request('GET', `${BASE}/check?tenantId=WEKEZA-KE`, { headers: { 'x-api-key': apiKey } })).status, 200);

      const enabled = await svc.request('POST', `${BASE}/enable`, {
        token: admin,
        body: { tenantId: 'WEKEZA-KE', paymentType: 'MOBILE_MONEY', reason: 'Maintenance finished' },
      });
      assert.equal(enabled.status, 200);
      assert.equal(ToggleConfiguration.parse(enabled.body).id, config.id, 'enable updates the configuration at that exact context');
      assert.equal((await check('tenantId=WEKEZA-KE&paymentType=MOBILE_MONEY')).enabled, true);
      const toggled = ToggleConfiguration.parse(
        (
          await svc.request('POST', `${BASE}/toggle`, {
            token: admin,
            body: { tenantId: 'WEKEZA-KE', paymentType: 'MOBILE_MONEY', reason: 'Engine latency above SLA', disabledBehaviour: 'LOCAL_RULES_ONLY' },
          })
        ).body,
      );
      assert.equal(toggled.isEnabled, false);
      const trail = (await svc.request('GET', `${BASE}/configurations/${config.id}/audit`, { token: analyst })).body as Array<{
        command: string;
        actorName: string;
      }>;
      assert.deepEqual(
        trail.map((t) => t.command),
        ['fraud-api-toggle.set', 'fraud-api-toggle.set', 'fraud-api-toggle.create'],
      );
      await svc.request('POST', `${BASE}/enable`, { token: admin, body: { tenantId: 'WEKEZA-KE', paymentType: 'MOBILE_MONEY', reason: 'Back to normal' } });
    });

    it('never defaults the fallback: switching the engine off without disabledBehaviour is a 400 naming it', async () => {
      const fieldOf = (res: { body: unknown }) => ApiErrorBody.parse(res.body).error.fields?.map((f) => f.path);
      const create = await svc.request('POST', `${BASE}/configurations`, {
        token: admin,
        body: { tenantId: 'WEKEZA-KE', paymentType: 'CARD', isEnabled: false, disabledReason: 'Card engine maintenance' },
      });
      assert.equal(create.status, 400, JSON.stringify(create.body));
      assert.deepEqual(fieldOf(create), ['body.disabledBehaviour']);
      const schedule = await svc.request('POST', `${BASE}/configurations/schedule`, {
        token: admin,
        body: { tenantId: 'WEKEZA-KE', isEnabled: false, disabledReason: 'Window', effectiveFrom: new Date(Date.now() + 86_400_000).toISOString() },
      });
      assert.equal(schedule.status, 400);
      assert.deepEqual(fieldOf(schedule), ['body.disabledBehaviour']);
      const disable = await svc.request('POST', `${BASE}/disable`, {
        token: admin,
        body: { tenantId: 'WEKEZA-KE', paymentType: 'CARD', reason: 'Maintenance' },
      });
      assert.equal(disable.status, 400);
      assert.deepEqual(fieldOf(disable), ['body.disabledBehaviour']);
      const flip = await svc.request('POST', `${BASE}/toggle`, { token: admin, body: { tenantId: 'WEKEZA-KE', paymentType: 'CARD', reason: 'Maintenance' } });
      assert.equal(flip.status, 400, 'the engine is on for CARD, so a flip switches it off and needs the fallback');
      assert.deepEqual(fieldOf(flip), ['body.disabledBehaviour']);
      assert.equal((await check('tenantId=WEKEZA-KE&paymentType=CARD')).enabled, true, 'nothing was half-written');
      // Switching on needs no fallback; what is stored for it is the safe one, never "approve".
      const on = await svc.request('POST', `${BASE}/configurations`, {
        token: admin,
        body: { tenantId: 'WEKEZA-KE', paymentType: 'CARD', isEnabled: true, enabledReason: 'Card engine back' },
      });
      assert.equal(on.status, 201, JSON.stringify(on.body));
      assert.equal(ToggleConfiguration.parse(on.body).disabledBehaviour, 'LOCAL_RULES_ONLY');
      // A caller that names the fallback keeps working.
      const named = await svc.request('POST', `${BASE}/disable`, {
        token: admin,
        body: { tenantId: 'WEKEZA-KE', paymentType: 'CARD', reason: 'Maintenance', disabledBehaviour: 'APPROVE' },
      });
      assert.equal(named.status, 200, JSON.stringify(named.body));
      assert.equal(ToggleConfiguration.parse(named.body).disabledBehaviour, 'APPROVE');
      await svc.request('POST', `${BASE}/enable`, { token: admin, body: { tenantId: 'WEKEZA-KE', paymentType: 'CARD', reason: 'Maintenance over' } });
    });

    it('takes a scheduled window into effect exactly at its boundaries, in the running service, announced live', async () => {
      const from = new Date(Date.now() + 1500);
      const until = new Date(from.getTime() + 1500);
      const events: Announcement[] = [];
      const listener = (a: Announcement) => events.push(a);
      svc.service.context.bus.events.on('announce', listener);
      const scheduled = await svc.request('POST', `${BASE}/configurations/schedule`, {
        token: admin,
        body: {
          tenantId: 'WEKEZA-KE',
          paymentType: 'RTGS',
          isEnabled: false,
          disabledReason: 'KEPSS end-of-day window',
          disabledBehaviour: 'LOCAL_RULES_ONLY',
          effectiveFrom: from.toISOString(),
          effectiveUntil: until.toISOString(),
        },
      });
      assert.equal(scheduled.status, 201, JSON.stringify(scheduled.body));
      const past = await svc.request('POST', `${BASE}/configurations/schedule`, {
        token: admin,
        body: {
          tenantId: 'WEKEZA-KE',
          isEnabled: false,
          disabledReason: 'x-y-z',
          disabledBehaviour: 'LOCAL_RULES_ONLY',
          effectiveFrom: new Date(Date.now() - 1000).toISOString(),
        },
      });
      assert.equal(past.status, 400);
      assert.equal(ToggleConfiguration.parse(scheduled.body).state, 'FUTURE');
      const future = ToggleConfiguration.array().parse((await svc.request('GET', `${BASE}/configurations/future`, { token: analyst })).body);
      assert.ok(future.some((f) => f.id === ToggleConfiguration.parse(scheduled.body).id));
      // Checks at chosen instants, then in real time across both boundaries.
      assert.equal((await check(`tenantId=WEKEZA-KE&paymentType=RTGS&at=${encodeURIComponent(from.toISOString())}`)).enabled, false);
      assert.equal((await check(`tenantId=WEKEZA-KE&paymentType=RTGS&at=${encodeURIComponent(new Date(from.getTime() - 1).toISOString())}`)).enabled, true);
      assert.equal((await check('tenantId=WEKEZA-KE&paymentType=RTGS')).enabled, true, 'before the window');
      await new Promise((r) => setTimeout(r, from.getTime() - Date.now() + 50));
      assert.equal((await check('tenantId=WEKEZA-KE&paymentType=RTGS')).enabled, false, 'inside the window');
      await new Promise((r) => setTimeout(r, until.getTime() - Date.now() + 50));
      assert.equal((await check('tenantId=WEKEZA-KE&paymentType=RTGS')).enabled, true, 'after the window');
      svc.service.context.bus.events.off('announce', listener);
      const boundaries = events.filter((e) => e.event === 'toggle.changed' && e.payload.action === 'boundary').map((e) => (e.payload as { at: string }).at);
      assert.deepEqual(boundaries, [from.toISOString(), until.toISOString()], 'each boundary is announced when it happens');
      const expired = ToggleConfiguration.array().parse((await svc.request('GET', `${BASE}/configurations/expired`, { token: analyst })).body);
      assert.ok(expired.some((e) => e.id === ToggleConfiguration.parse(scheduled.body).id));
    });

    it('does not call the bank engine while disabled, and records the toggle on the assessment', async () => {
      const config = {
        ...newConfigurationTemplate(),
        configurationName: 'SWIFT with engine',
        tenantId: 'WEKEZA-TOG',
        paymentType: 'SWIFT_TRANSFER',
        bankFraudApiConfig: { ...EXAMPLE_BANK_API, endpointUrl: engine.scoreUrl, credentials: { apiKey: 'toggle-test-key' } },
      };
      assert.equal((await svc.request('POST', '/api/v1/fraud-risk/configurations', { token: admin, body: config })).status, 201);
      const payment = () =>
        criticalPayment({ tenantId: 'WEKEZA-TOG', paymentType: 'SWIFT_TRANSFER', clearingSystemCode: 'SWIFT', localInstrumentationCode: 'MT103' });
      const assess = async () =>
        AssessmentResponse.parse((await svc.request('POST', '/api/v1/fraud-risk/assessments', { body: payment(), headers: { 'x-api-key': apiKey } })).body);
      const stored = async (id: string) => Assessment.parse((await svc.request('GET', `/api/v1/fraud-risk/assessments/${id}`, { token: admin })).body);

      const before = engine.stats().requests;
      const on = await stored((await assess()).assessmentId);
      assert.equal(on.assessmentDetails?.engine?.outcome, 'ANSWERED');
      assert.equal(engine.stats().requests, before + 1);

      await svc.request('POST', `${BASE}/disable`, {
        token: admin,
        body: { tenantId: 'WEKEZA-TOG', paymentType: 'SWIFT_TRANSFER', reason: 'Bank engine upgrade tonight', disabledBehaviour: 'APPROVE' },
      });
      const off = await stored((await assess()).assessmentId);
      assert.equal(engine.stats().requests, before + 1, 'the engine was not called');
      assert.equal(off.assessmentDetails?.engine?.outcome, 'NOT_CALLED');
      assert.equal(off.assessmentDetails?.toggle?.enabled, false);
      assert.equal(off.assessmentDetails?.toggle?.reason, 'Bank engine upgrade tonight');
      assert.equal(off.decision, 'APPROVE', 'seed 003: approved without assessment');
      assert.equal(off.caseId, null);

      await svc.request('POST', `${BASE}/disable`, {
        token: admin,
        body: { tenantId: 'WEKEZA-TOG', paymentType: 'SWIFT_TRANSFER', reason: 'Engine upgrade, keep local rules', disabledBehaviour: 'LOCAL_RULES_ONLY' },
      });
      const local = await stored((await assess()).assessmentId);
      assert.equal(engine.stats().requests, before + 1);
      assert.equal(local.decision, 'ESCALATE', 'local rules still hold the critical payment');
      assert.match(local.assessmentDetails?.decisionSource ?? '', /Local rules only/);
    });

    it('needs a second admin to approve a tenant-level disable when four-eyes is on; never the requester', async () => {
      await svc.request('PUT', `${BASE}/settings`, { token: admin, body: { fourEyesForTenantDisable: true } });
      const asked = await svc.request('POST', `${BASE}/disable`, {
        token: admin,
        body: { tenantId: 'WEKEZA-4E', reason: 'Suspected engine compromise', disabledBehaviour: 'LOCAL_RULES_ONLY' },
      });
      assert.equal(asked.status, 202);
      const approval = (asked.body as { pendingApproval: { id: string; status: string } }).pendingApproval;
      assert.equal(approval.status, 'PENDING');
      assert.equal((await check('tenantId=WEKEZA-4E', admin)).enabled, true, 'nothing changes until approved');
      const self = await svc.request('POST', `${BASE}/approvals/${approval.id}/approve`, { token: admin, body: { note: 'approving my own' } });
      assert.equal(self.status, 403);
      assert.match(ApiErrorBody.parse(self.body).error.message, /four-eyes/);
      const approved = await svc.request('POST', `${BASE}/approvals/${approval.id}/approve`, { token: secondAdmin, body: { note: 'Confirmed with the CISO' } });
      assert.equal(approved.status, 200, JSON.stringify(approved.body));
      assert.equal((await check('tenantId=WEKEZA-4E', admin)).enabled, false);
      assert.equal((await svc.request('POST', `${BASE}/approvals/${approval.id}/approve`, { token: secondAdmin, body: { note: 'again' } })).status, 409);
      // A payment-type-level disable does not need approval.
      assert.equal(
        (
          await svc.request('POST', `${BASE}/disable`, {
            token: admin,
            body: { tenantId: 'WEKEZA-4E', paymentType: 'EFT', reason: 'ACH file replay', disabledBehaviour: 'LOCAL_RULES_ONLY' },
          })
        ).status,
        200,
      );
      await svc.request('PUT', `${BASE}/settings`, { token: admin, body: { fourEyesForTenantDisable: false } });
    });

    it("reports statistics, of the caller's tenants only", async () => {
      const read = async (token: string) => ToggleStatistics.parse((await svc.request('GET', `${BASE}/statistics`, { token })).body);
      const stats = await read(admin);
      assert.ok((stats.byState.EFFECTIVE ?? 0) >= 2);
      assert.ok((stats.byLevel.PAYMENT_TYPE ?? 0) >= 2);
      const checks = stats.checksPerHour.reduce((a, h) => a + h.enabled + h.disabled, 0);
      assert.ok(checks > 5);
      assert.ok(stats.recentChanges.length > 3);
      // The analyst acts for WEKEZA-KE: WEKEZA-TOG's and WEKEZA-4E's configurations, changes and checks are not in its figures.
      const own = await read(analyst);
      assert.ok(own.recentChanges.length > 3);
      assert.ok(
        own.recentChanges.every((c) => c.summary.includes('WEKEZA-KE') || c.summary === 'deleted'),
        JSON.stringify(own.recentChanges),
      );
      assert.ok(own.enabledCount + own.disabledCount < stats.enabledCount + stats.disabledCount);
      const ownChecks = own.checksPerHour.reduce((a, h) => a + h.enabled + h.disabled, 0);
      assert.ok(ownChecks > 0 && ownChecks < checks, `${ownChecks} of ${checks}`);
      assert.equal((await svc.request('POST', `${BASE}/cache/refresh`, { token: analyst })).status, 403);
      assert.equal((await svc.request('POST', `${BASE}/cache/refresh`, { token: admin })).status, 200);
    });
  });
}
