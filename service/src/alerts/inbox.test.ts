import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS, stopTestPostgres } from '../testing/databases.ts';
import { addTestTeam, startTestService, TEST_ADMIN_PASSWORD, TEST_TENANT, type TestService } from '../testing/service.ts';
import { criticalPayment, samplePayment } from '../testing/fixtures.ts';
import { ManualClock } from '../clock.ts';
import { SYSTEM_ACTOR } from '../commands/bus.ts';
import { Alert, AlertCaseResult, AlertDetail, AlertPage } from '../../../shared/src/alerts.ts';
import { ApiClientWithKey } from '../../../shared/src/users.ts';
import { raiseAlerts, type AlertCandidate } from './raise.ts';

after(stopTestPostgres);

const NOW = '2026-11-20T12:00:00.000Z';
const OTHER_TENANT = 'WEKEZA-UG';

function candidate(entityId: string, overrides: Partial<AlertCandidate> = {}): AlertCandidate {
  return {
    tenantId: TEST_TENANT,
    pattern: 'STRUCTURING',
    severity: 'HIGH',
    title: `Structuring by ${entityId}`,
    entityType: 'CUSTOMER',
    entityId,
    detectedAt: NOW,
    evidence: { payments: [], customers: [entityId], rules: [], figures: { count: 4 }, explanation: ['Four payments just below KES 1,000,000.'] },
    ...overrides,
  };
}

for (const dialect of DIALECTS) {
  describe(`Alerts inbox on ${dialect}`, { timeout: 300_000 }, () => {
    let svc: TestService;
    let tokens: Record<string, string>;
    let ids: Record<string, string>;
    let admin: string;
    before(async () => {
      svc = await startTestService(dialect, { clock: new ManualClock(NOW) });
      ({ tokens, ids } = await addTestTeam(svc, [
        ['amina.otieno', 'FRAUD_ANALYST', [TEST_TENANT]],
        ['brian.kamau', 'FRAUD_ANALYST', [TEST_TENANT]],
        ['grace.achieng', 'AUDITOR', [TEST_TENANT]],
        ['ug.analyst', 'FRAUD_ANALYST', [OTHER_TENANT]],
      ]));
      admin = (await svc.login('admin', TEST_ADMIN_PASSWORD)).token;
    });
    after(async () => svc?.stop());

    const amina = () => tokens['amina.otieno']!;
    const raise = async (...candidates: AlertCandidate[]) => svc.service.context.bus.execute(raiseAlerts, { candidates }, SYSTEM_ACTOR);
    const get = async (id: string, token = amina()) => {
      const res = await svc.request('GET', `/api/v1/alerts/${id}`, { token });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return AlertDetail.parse(res.body);
    };
    const post = (id: string, action: string, body: unknown, token = amina()) => svc.request('POST', `/api/v1/alerts/${id}/${action}`, { token, body });
    const assess = async (payment = samplePayment()) => {
      const res = await svc.request('POST', '/api/v1/fraud-risk/assessments', { token: admin, body: payment });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      // The answer names the engine's assessment id; the alert's evidence keeps the row id.
      const row = await svc.service.context.db.kysely
        .selectFrom('fraud_risk_assessments')
        .select(['id', 'case_id'])
        .where('transaction_reference', '=', payment.transactionReference)
        .executeTakeFirstOrThrow();
      return { id: row.id, caseId: row.case_id, payment };
    };
    const evidenceOf = (a: Awaited<ReturnType<typeof assess>>) => ({
      payments: [
        {
          assessmentId: a.id,
          transactionReference: a.payment.transactionReference,
          customerRef: a.payment.customerId,
          amountKes: a.payment.amount,
          occurredAt: new Date(a.payment.timestamp).toISOString(),
          channel: a.payment.channel,
          country: a.payment.country ?? null,
          debtorAccount: a.payment.debtorAccount ?? null,
          creditorAccount: a.payment.creditorAccount ?? null,
          deviceId: a.payment.deviceId ?? null,
          riskLevel: null,
          caseId: a.caseId,
        },
      ],
      customers: [a.payment.customerId],
      rules: [],
      figures: {},
      explanation: ['A test alert on one payment.'],
    });

    it('acknowledges, assigns and resolves with version checks, within the caller’s tenant only', async () => {
      const [ke, ug] = await raise(candidate('CIF-INBOX-1'), candidate('CIF-INBOX-UG', { tenantId: OTHER_TENANT, severity: 'CRITICAL' }));
      let alert = await get(ke!.alertId);
      assert.equal(alert.status, 'OPEN');

      // Another tenant's alert does not exist for this caller; the other tenant's analyst cannot see ours.
      assert.equal((await svc.request('GET', `/api/v1/alerts/${ug!.alertId}`, { token: amina() })).status, 404);
      assert.equal((await post(ug!.alertId, 'acknowledge', { version: 1 })).status, 404);
      assert.equal((await svc.request('GET', `/api/v1/alerts/${ke!.alertId}`, { token: tokens['ug.analyst']! })).status, 404);
      const page = AlertPage.parse((await svc.request('GET', '/api/v1/alerts?status=UNRESOLVED', { token: amina() })).body);
      assert.ok(page.items.every((a) => a.tenantId === TEST_TENANT));
      assert.ok(page.items.some((a) => a.id === ke!.alertId));
      assert.equal(page.openBySeverity.CRITICAL, 0, 'the other tenant’s CRITICAL is not counted');
      assert.ok(page.openBySeverity.HIGH >= 1);
      const searched = AlertPage.parse(
        (
          await svc.request('GET', `/api/v1/alerts?q=${encodeURIComponent('cif-inbox-1')}&pattern=STRUCTURING&from=2026-11-20&to=2026-11-20`, {
            token: amina(),
          })
        ).body,
      );
      assert.deepEqual(
        searched.items.map((a) => a.id),
        [ke!.alertId],
      );
      assert.equal(AlertPage.parse((await svc.request('GET', '/api/v1/alerts?from=2026-11-21', { token: amina() })).body).total, 0);
      // A half-typed date is a field error, not a crash.
      assert.equal((await svc.request('GET', '/api/v1/alerts?from=2026-11', { token: amina() })).status, 400);

      // The auditor reads but does not work alerts.
      await get(ke!.alertId, tokens['grace.achieng']!);
      assert.equal((await post(ke!.alertId, 'acknowledge', { version: 1 }, tokens['grace.achieng']!)).status, 403);

      // A stale version is refused; acknowledging takes the alert.
      assert.equal((await post(ke!.alertId, 'acknowledge', { version: 7 })).status, 409);
      let res = await post(ke!.alertId, 'acknowledge', { version: 1, note: 'Looking at it' });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      alert = { ...alert, ...Alert.parse(res.body) };
      assert.equal(alert.status, 'ACKNOWLEDGED');
      assert.equal(alert.assigneeId, ids['amina.otieno']);
      assert.equal(alert.assigneeName, 'Amina Otieno');
      assert.equal((await post(ke!.alertId, 'acknowledge', { version: alert.version })).status, 409, 'already acknowledged');

      // Assign only to someone of the tenant who may work alerts.
      for (const assigneeId of [ids['ug.analyst'], ids['grace.achieng']]) {
        res = await post(ke!.alertId, 'assign', { version: alert.version, assigneeId });
        assert.equal(res.status, 400, JSON.stringify(res.body));
      }
      res = await post(ke!.alertId, 'assign', { version: alert.version, assigneeId: ids['brian.kamau'] });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      alert = { ...alert, ...Alert.parse(res.body) };
      assert.equal(alert.assigneeName, 'Brian Kamau');

      assert.equal(
        (await post(ke!.alertId, 'resolve', { version: alert.version, resolution: 'FALSE_POSITIVE', reason: 'ok' })).status,
        400,
        'a reason of a few words',
      );
      res = await post(ke!.alertId, 'resolve', {
        version: alert.version,
        resolution: 'FALSE_POSITIVE',
        reason: 'Salary split across accounts, explained by HR.',
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      alert = { ...alert, ...Alert.parse(res.body) };
      assert.equal(alert.status, 'RESOLVED');
      assert.equal(alert.resolution, 'FALSE_POSITIVE');
      assert.equal(alert.resolvedBy, 'Amina Otieno');
      assert.equal((await post(ke!.alertId, 'resolve', { version: alert.version, resolution: 'DUPLICATE', reason: 'again, twice' })).status, 409);

      // A resolved alert is not deduplicated into: the same entity again is a new alert.
      const [again] = await raise(candidate('CIF-INBOX-1'));
      assert.equal(again!.created, true);

      const audit = await svc.service.context.db.kysely.selectFrom('audit_log').select(['command']).where('entity_id', '=', ke!.alertId).execute();
      assert.deepEqual(audit.map((a) => a.command).sort(), ['alert.acknowledge', 'alert.assign', 'alert.raise', 'alert.resolve']);
    });

    it('opens a case for the alert’s payment, or links the case it already has', async () => {
      // A payment no rule flags has no case: opening one creates it.
      const plain = await assess();
      assert.equal(plain.caseId, null);
      const [fresh] = await raise(candidate(plain.payment.customerId, { evidence: evidenceOf(plain) }));
      let res = await post(fresh!.alertId, 'case', { version: 1 });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const opened = AlertCaseResult.parse(res.body);
      assert.equal(opened.created, true);
      assert.equal(opened.alert.caseId, opened.caseId);
      assert.equal(opened.alert.caseReference, opened.caseReference);
      assert.equal(opened.alert.status, 'ACKNOWLEDGED');
      const kase = await svc.request('GET', `/api/v1/cases/${opened.caseId}`, { token: amina() });
      assert.equal(kase.status, 200, JSON.stringify(kase.body));

      // A CRITICAL payment already opened a case at scoring: the alert links it.
      const critical = await assess(criticalPayment());
      assert.ok(critical.caseId);
      const [linked] = await raise(candidate(critical.payment.customerId, { evidence: evidenceOf(critical) }));
      res = await post(linked!.alertId, 'case', { version: 1 });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const link = AlertCaseResult.parse(res.body);
      assert.deepEqual([link.created, link.caseId], [false, critical.caseId]);

      // An alert without payments (the engine failing) has nothing to open a case for.
      const [engine] = await raise(candidate('bank-engine', { pattern: 'ENGINE_FAILURE', entityType: 'ENGINE' }));
      assert.equal((await post(engine!.alertId, 'case', { version: 1 })).status, 409);
    });

    it('keeps a configuration’s alert settings as its own rule and routes its risky payments through it', async () => {
      const channel = await svc.request('POST', '/api/v1/alert-channels', {
        token: admin,
        body: { name: 'Config hook', tenantId: '*', settings: { kind: 'WEBHOOK', url: 'http://127.0.0.1:9/hooks' }, enabled: true },
      });
      assert.equal(channel.status, 201, JSON.stringify(channel.body));
      const channelId = (channel.body as { id: string }).id;
      const mail = await svc.request('POST', '/api/v1/alert-channels', {
        token: admin,
        body: {
          name: 'Config mail',
          tenantId: TEST_TENANT,
          settings: { kind: 'EMAIL', host: '127.0.0.1', port: 2525, security: 'none', from: 'alerts@wekeza.example', to: ['soc@wekeza.example'] },
          enabled: true,
        },
      });
      assert.equal(mail.status, 201, JSON.stringify(mail.body));
      const mailId = (mail.body as { id: string }).id;
      const { newConfigurationTemplate } = await import('../../../shared/src/decision-engine-defaults.ts');
      const body = {
        ...newConfigurationTemplate(),
        configurationName: 'Alerting RTGS',
        tenantId: TEST_TENANT,
        alertingConfig: { enabled: true, minRiskLevel: 'HIGH', channels: ['WEBHOOK', 'EMAIL'], recipients: ['fraud.desk@wekeza.example', '+254712000111'] },
      };
      const created = await svc.request('POST', '/api/v1/fraud-risk/configurations', { token: admin, body });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const configuration = created.body as { id: string; rowVersion: number };
      const rules = (await svc.request('GET', '/api/v1/alert-rules', { token: admin })).body as Array<Record<string, unknown>>;
      const own = rules.find((r) => r.sourceConfigurationId === configuration.id);
      assert.ok(own, JSON.stringify(rules));
      assert.deepEqual(
        [own.patterns, own.minSeverity, own.tenantIds, [...(own.channelIds as string[])].sort(), own.enabled, own.sourceConfigurationName],
        [['RISKY_PAYMENT'], 'HIGH', [TEST_TENANT], [channelId, mailId].sort(), true, 'Alerting RTGS'],
      );
      // Changed with the configuration only.
      const { id: _i, sourceConfigurationId: _s, sourceConfigurationName: _n, createdBy: _c, createdAt: _a, updatedAt: _u, ...ruleBody } = own;
      assert.equal((await svc.request('PUT', `/api/v1/alert-rules/${String(own.id)}`, { token: admin, body: ruleBody })).status, 409);
      assert.equal((await svc.request('DELETE', `/api/v1/alert-rules/${String(own.id)}`, { token: admin })).status, 409);

      // Its risky payment is routed by its rule; another configuration's is not.
      const [mine, theirs] = await raise(
        candidate('pay-1', { pattern: 'RISKY_PAYMENT', entityType: 'PAYMENT', configurationId: configuration.id }),
        candidate('pay-2', { pattern: 'RISKY_PAYMENT', entityType: 'PAYMENT', configurationId: '00000000-0000-4000-8000-00000000c0de' }),
      );
      const routed = await get(mine!.alertId);
      // Both channels were created at the same (manual) instant: compare by channel.
      const byChannel = new Map(routed.routes.map((r) => [r.channelId, r]));
      assert.equal(routed.routes.length, 2);
      assert.deepEqual(
        [channelId, mailId].map((id) => [byChannel.get(id)?.outcome, byChannel.get(id)?.ruleId]),
        [
          ['QUEUED', own.id],
          ['QUEUED', own.id],
        ],
      );
      const recipients = async (deliveryId: string) => {
        const row = await svc.service.context.db.kysely
          .selectFrom('webhook_deliveries')
          .select('payload')
          .where('id', '=', deliveryId)
          .executeTakeFirstOrThrow();
        return ((typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload) as { data: { recipients: string[] } }).data.recipients;
      };
      assert.deepEqual(await recipients(byChannel.get(channelId)!.deliveryId!), [], 'a WEBHOOK channel takes no extra recipients');
      assert.deepEqual(
        await recipients(byChannel.get(mailId)!.deliveryId!),
        ['fraud.desk@wekeza.example'],
        'the configuration’s emails go to its EMAIL channel',
      );
      assert.deepEqual((await get(theirs!.alertId)).routes, []);

      // Alerting switched off in a new version: the rule follows.
      const current = (await svc.request('GET', `/api/v1/fraud-risk/configurations/${configuration.id}`, { token: admin })).body as { rowVersion: number };
      const updated = await svc.request('PUT', `/api/v1/fraud-risk/configurations/${configuration.id}`, {
        token: admin,
        body: {
          ...body,
          alertingConfig: { ...body.alertingConfig, enabled: false },
          expectedRowVersion: current.rowVersion,
          changeNote: 'Alerts off for RTGS',
        },
      });
      assert.equal(updated.status, 200, JSON.stringify(updated.body));
      const after = ((await svc.request('GET', '/api/v1/alert-rules', { token: admin })).body as Array<Record<string, unknown>>).find((r) => r.id === own.id);
      assert.equal(after?.enabled, false);
    });

    it('records core banking’s contact-detail changes for the takeover detector, in the client’s tenant only', async () => {
      const client = ApiClientWithKey.parse(
        (await svc.request('POST', '/api/v1/api-clients', { token: admin, body: { name: 'Core banking', role: 'CORE_BANKING', tenantIds: [TEST_TENANT] } }))
          .body,
      );
      const path = '/api/v1/integration/customers/CIF-00000001/contact-changes';
      const res = await svc.request('POST', path, {
        headers: { 'x-api-key': client.apiKey },
        body: { tenantId: TEST_TENANT, field: 'SIM_SWAP', changedAt: '2026-11-20T14:05:00+03:00', channel: 'USSD' },
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.deepEqual((({ customerRef, field, changedAt }) => ({ customerRef, field, changedAt }))(res.body as Record<string, string>), {
        customerRef: 'CIF-00000001',
        field: 'SIM_SWAP',
        changedAt: '2026-11-20T11:05:00.000Z',
      });
      const other = await svc.request('POST', path, {
        headers: { 'x-api-key': client.apiKey },
        body: { tenantId: OTHER_TENANT, field: 'PHONE', changedAt: NOW },
      });
      assert.equal(other.status, 403);
    });
  });
}
