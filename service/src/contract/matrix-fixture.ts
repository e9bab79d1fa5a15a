import assert from 'node:assert/strict';
import { HumanRole, MACHINE_ROLES, ROLE_PERMISSIONS, type Role } from '../../../shared/src/roles.ts';
import type { OperationSpec } from '../../../shared/src/contract/operation.ts';
import { criticalPayment } from '../testing/fixtures.ts';
import { newConfigurationTemplate } from '../../../shared/src/decision-engine-defaults.ts';
import { TEST_ADMIN_PASSWORD, type TestService } from '../testing/service.ts';
import { webhookSubscriptionCommands } from '../webhooks/commands.ts';
import { createConsent } from '../consents/commands.ts';
import { addAccounts, appActor, authorise } from '../consents/consent-fixture.ts';
import { raiseAlerts } from '../alerts/raise.ts';
import { SYSTEM_ACTOR } from '../commands/bus.ts';

export const TENANT_A = 'BANK-A';
export const TENANT_B = 'BANK-B';
/** A password every matrix user ends up with (after changing its one-time password). */
const MATRIX_PASSWORD = 'Matrix-Caller-Passw0rd-2026';

export interface Caller {
  label: string;
  role: Role | null;
  headers: Record<string, string>;
}

export interface TenantBRecords {
  /** Ids of tenant B's records, by the operation-name prefix whose `:id` they fill. */
  ids: Record<string, Record<string, string>>;
  /** Strings that must never appear in an answer given to a caller of tenant A. */
  markers: string[];
}

async function expectOk(res: { status: number; body: unknown }, what: string, status = 200) {
  assert.equal(res.status, status, `${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as Record<string, unknown>;
}

/** One caller per role (users and machine clients), all acting for tenant A only, plus no token. */
export async function createCallers(svc: TestService): Promise<{ admin: string; callers: Caller[] }> {
  const admin = (await svc.login('admin', TEST_ADMIN_PASSWORD)).token;
  const auth = { authorization: `Bearer ${admin}` };
  const callers: Caller[] = [{ label: 'no token', role: null, headers: {} }];
  for (const role of HumanRole.options) {
    const username = `matrix.${role.toLowerCase().replace(/_/g, '-')}`;
    const created = await expectOk(
      await svc.request('POST', '/api/v1/users', { headers: auth, body: { username, displayName: `Matrix ${role}`, role, tenantIds: [TENANT_A] } }),
      `create ${role}`,
      201,
    );
    const first = await svc.login(username, String(created.oneTimePassword));
    // The sign-in below with the new password proves the change took effect.
    await svc.request('POST', '/api/v1/auth/password', {
      token: first.token,
      body: { currentPassword: created.oneTimePassword, newPassword: MATRIX_PASSWORD },
    });
    const token = (await svc.login(username, MATRIX_PASSWORD)).token;
    callers.push({ label: `user ${role}`, role, headers: { authorization: `Bearer ${token}` } });
  }
  for (const role of MACHINE_ROLES) {
    const client = await expectOk(
      await svc.request('POST', '/api/v1/api-clients', { headers: auth, body: { name: `Matrix ${role} client`, role, tenantIds: [TENANT_A] } }),
      `create ${role} client`,
      201,
    );
    callers.push({ label: `client ${role}`, role, headers: { 'x-api-key': String(client.apiKey) } });
  }
  return { admin, callers };
}

/** Records of tenant B that tenant A's callers must never see: an assessment with its case, a toggle. */
export async function createTenantBRecords(svc: TestService, adminToken: string): Promise<TenantBRecords> {
  const auth = { authorization: `Bearer ${adminToken}` };
  const engine = await expectOk(
    await svc.request('POST', '/api/v1/api-clients', {
      headers: auth,
      body: { name: 'Tenant B payment engine', role: 'PAYMENT_ENGINE', tenantIds: [TENANT_B] },
    }),
    'tenant B client',
    201,
  );
  const reference = 'TENANTB-SECRET-REF-0001';
  const payment = criticalPayment({
    tenantId: TENANT_B,
    transactionReference: reference,
    customerId: 'CIF-TENANTB-0001',
    description: 'TENANTB-SECRET-DESCRIPTION',
  });
  const scored = await expectOk(
    await svc.request('POST', '/api/v1/fraud-risk/assessments', { headers: { 'x-api-key': String(engine.apiKey) }, body: payment }),
    'score B',
    201,
  );
  const assessment = await expectOk(
    await svc.request('GET', `/api/v1/fraud-risk/assessments/${String(scored.assessmentId)}`, { headers: auth }),
    'read B assessment',
  );
  const caseId = String(assessment.caseId);
  const detail = await expectOk(await svc.request('GET', `/api/v1/cases/${caseId}`, { headers: auth }), 'read B case');
  const gcid = String((detail.case as Record<string, unknown>).customerGcid);
  const toggle = await expectOk(
    await svc.request('POST', '/api/v1/fraud-api-toggle/configurations', {
      headers: auth,
      body: {
        tenantId: TENANT_B,
        paymentType: 'RTGS',
        isEnabled: false,
        disabledReason: 'TENANTB-SECRET-TOGGLE-REASON',
        disabledBehaviour: 'LOCAL_RULES_ONLY',
      },
    }),
    'B toggle',
    201,
  );
  const template = { ...newConfigurationTemplate(), configurationName: 'TENANTB-SECRET-CONFIGURATION', tenantId: TENANT_B };
  const configuration = await expectOk(
    await svc.request('POST', '/api/v1/fraud-risk/configurations', { headers: auth, body: template }),
    'B configuration',
    201,
  );
  await expectOk(await svc.request('PUT', `/api/v1/fraud-risk/configurations/${String(configuration.id)}/draft`, { headers: auth, body: template }), 'B draft');
  const backtest = await expectOk(
    await svc.request('POST', `/api/v1/fraud-risk/configurations/${String(configuration.id)}/backtests`, { headers: auth, body: { days: 1 } }),
    'B backtest',
    202,
  );
  // Issue 13 slice B: a KRI (with a measurement, so its history is not empty) and a risk event of tenant B.
  const kri = await expectOk(
    await svc.request('POST', '/api/v1/kris', {
      headers: auth,
      body: {
        tenantId: TENANT_B,
        name: 'TENANTB-SECRET-KRI',
        unit: '%',
        direction: 'HIGHER_IS_WORSE',
        thresholdWarning: 2,
        thresholdCritical: 5,
        frequency: 'DAILY',
        riskIds: [],
      },
    }),
    'B KRI',
    201,
  );
  await expectOk(await svc.request('POST', `/api/v1/kris/${String(kri.id)}/measurements`, { headers: auth, body: { value: 1 } }), 'B KRI measurement', 201);
  const riskEvent = await expectOk(
    await svc.request('POST', '/api/v1/risk-events', {
      headers: auth,
      body: { tenantId: TENANT_B, type: 'INCIDENT', severity: 'HIGH', title: 'TENANTB-SECRET-INCIDENT', occurredAt: '2026-11-20T09:00:00.000Z' },
    }),
    'B risk event',
    201,
  );
  // Issue 13 slice A: an assessed risk of tenant B with a linked control and a pending acceptance.
  const me = await expectOk(await svc.request('GET', '/api/v1/auth/me', { headers: auth }), 'admin me');
  const risk = await expectOk(
    await svc.request('POST', '/api/v1/risks', {
      headers: auth,
      body: { tenantId: TENANT_B, title: 'TENANTB-SECRET-RISK', category: 'OPERATIONAL', businessUnit: 'Payments', ownerId: String(me.id) },
    }),
    'B risk',
    201,
  );
  await expectOk(
    await svc.request('POST', `/api/v1/risks/${String(risk.id)}/assessments`, {
      headers: auth,
      body: { inherentLikelihood: 3, inherentImpact: 3, expectedVersion: 1 },
    }),
    'B assessment',
    201,
  );
  const control = await expectOk(
    await svc.request('POST', '/api/v1/controls', {
      headers: auth,
      body: {
        tenantId: TENANT_B,
        name: 'TENANTB-SECRET-CONTROL',
        type: 'PREVENTIVE',
        ownerId: String(me.id),
        frequency: 'MONTHLY',
        riskIds: [String(risk.id)],
      },
    }),
    'B control',
    201,
  );
  const acceptance = await expectOk(
    await svc.request('POST', `/api/v1/risks/${String(risk.id)}/acceptances`, {
      headers: auth,
      body: { justification: 'Tenant B accepts this for the quarter', expiresAt: '2100-01-01T00:00:00Z' },
    }),
    'B acceptance',
    201,
  );
  // Issue 14 slice D: an Open Banking app of tenant B, and a webhook delivery queued for it. The
  // subscription is the app's own (its partner token's actor); .invalid never resolves (RFC 2606).
  const obApp = await expectOk(
    await svc.request('POST', '/api/v1/open-banking/apps', {
      headers: auth,
      body: { tenantId: TENANT_B, name: 'TENANTB-SECRET-APP', kind: 'FINTECH', allowedScopes: ['accounts.read'] },
    }),
    'B app',
    201,
  );
  const bApp = appActor({ id: String(obApp.id), name: 'TENANTB-SECRET-APP', tenantId: TENANT_B });
  const webhooks = webhookSubscriptionCommands(svc.service.context.secrets);
  const subscription = await svc.service.context.bus.execute(
    webhooks.create,
    { appId: String(obApp.id), url: 'https://tenant-b.invalid/hooks', events: ['consent.revoked'] },
    bApp,
  );
  const delivery = await svc.service.context.bus.execute(webhooks.test, { appId: String(obApp.id), id: subscription.id }, bApp);
  // Issue 14 slice B: a consent of tenant B's customer (an existing marker) to that app, authorised on one account.
  const svcCtx = svc.service.context;
  const [bAccount] = await addAccounts(svcCtx, TENANT_B, 'CIF-TENANTB-0001', ['TENANTB-SECRET-ACCOUNT-1']);
  const bConsent = await svcCtx.bus.execute(createConsent, { appId: String(obApp.id), permissions: ['accounts.read'] }, bApp);
  await authorise(svcCtx, bConsent, 'CIF-TENANTB-0001', [bAccount!]);
  // Issue 15 slice B: an alert channel of tenant B (.invalid never resolves, RFC 2606).
  const bChannel = await expectOk(
    await svc.request('POST', '/api/v1/alert-channels', {
      headers: auth,
      body: { name: 'TENANTB-SECRET-CHANNEL', tenantId: TENANT_B, settings: { kind: 'WEBHOOK', url: 'https://tenant-b.invalid/alerts' }, enabled: true },
    }),
    'B alert channel',
    201,
  );
  // Issue 15 slice A: an alert of tenant B (raised by the service itself, as its detectors do).
  const [bAlert] = await svcCtx.bus.execute(
    raiseAlerts,
    {
      candidates: [
        {
          tenantId: TENANT_B,
          pattern: 'VELOCITY',
          severity: 'HIGH',
          title: 'TENANTB-SECRET-ALERT',
          entityType: 'CUSTOMER',
          entityId: 'CIF-TENANTB-0001',
          detectedAt: '2026-11-20T12:00:00Z',
          evidence: { payments: [], customers: ['CIF-TENANTB-0001'], rules: [], figures: { count: 9 }, explanation: ['Nine payments in ten minutes.'] },
        },
      ],
    },
    SYSTEM_ACTOR,
  );
  return {
    ids: {
      risk: { id: String(risk.id) },
      control: { id: String(control.id) },
      'risk-acceptance': { id: String(acceptance.id) },
      kri: { id: String(kri.id) },
      'risk-event': { id: String(riskEvent.id) },
      configuration: { id: String(configuration.id), versionNumber: '1' },
      backtest: { id: String(backtest.id) },
      assessment: { id: String(assessment.id), reference },
      case: { id: caseId },
      customer: { gcid },
      toggle: { id: String(toggle.id) },
      'fraud-api-toggle': { id: String(toggle.id) },
      obApp: { id: String(obApp.id) },
      webhookDelivery: { id: delivery.deliveryId },
      consent: { id: bConsent.id },
      alert: { id: bAlert!.alertId },
      alertChannel: { id: String(bChannel.id) },
    },
    markers: [
      TENANT_B,
      reference,
      'TENANTB-SECRET-DESCRIPTION',
      'TENANTB-SECRET-TOGGLE-REASON',
      'TENANTB-SECRET-CONFIGURATION',
      'TENANTB-SECRET-RISK',
      'TENANTB-SECRET-CONTROL',
      'TENANTB-SECRET-KRI',
      'TENANTB-SECRET-INCIDENT',
      'TENANTB-SECRET-APP',
      'TENANTB-SECRET-ALERT',
      'TENANTB-SECRET-CHANNEL',
      'TENANTB-SECRET-ACCOUNT-1',
      'CIF-TENANTB-0001',
      caseId,
      String(assessment.id),
    ],
  };
}

/** What the contract says a caller gets, before any input is judged: 401, 403 or "let in". */
export function expectedAccess(op: OperationSpec, caller: Caller): 401 | 403 | 'allowed' {
  if (op.access === 'public') return 'allowed';
  if (caller.role === null) return 401;
  // Only an Open Banking app's OAuth token opens a partner endpoint: a user's or an API key's is not one.
  if (op.access === 'partner') return 401;
  if (op.access === 'signed-in') return 'allowed';
  return ROLE_PERMISSIONS[caller.role].includes(op.access) ? 'allowed' : 403;
}

/** A path with every `:param` filled with a value that names no record. */
export function pathWithUnknownIds(op: OperationSpec): string {
  return op.path.replace(/:([A-Za-z0-9_]+)/g, (_m, name: string) => (/id$/i.test(name) ? '00000000-0000-4000-8000-000000000000' : 'UNKNOWN-0'));
}
