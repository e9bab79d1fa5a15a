import type { OperationSpec } from './operation.ts';
import { authOperations, systemOperations } from './auth.ts';
import { caseOperations } from './cases.ts';
import { customerOperations } from './customers.ts';
import { userOperations } from './users.ts';
import { apiClientOperations } from './api-clients.ts';
import { toggleOperations } from './toggles.ts';
import { auditOperations } from './audit.ts';
import { dashboardOperations } from './dashboard.ts';
import { assessmentOperations } from './assessments.ts';
import { decisionEngineOperations } from './decision-engine.ts';
import { fxRateOperations } from './fx-rates.ts';
import { signInLockOperations } from './sign-in-locks.ts';
import { backtestOperations } from './backtests.ts';
import { demoOperations } from './demo.ts';
import { syncOperations } from './sync.ts';
import { riskReportOperations } from './risk-reports.ts';
import { controlOperations, riskMatrixOperations, riskOperations } from './risks.ts';
import { kriOperations } from './kris.ts';
import { riskEventOperations } from './risk-events.ts';
import { notificationOperations } from './notifications.ts';
import { integrationOperations, riskModelOperations } from './integration.ts';
import { consentOperations, obAppOperations, webhookDeliveryOperations } from './open-banking-admin.ts';
import { webhookSubscriptionOperations } from './webhooks.ts';
import { openBankingOperations } from './open-banking.ts';
import { alertChannelOperations, alertOperations, alertRuleOperations, alertThresholdOperations, customerContactChangeOperations } from './alerts.ts';
import { analyticsOperations } from './analytics.ts';

/**
 * The contract registry (ARCHITECTURE.md rule 2): every operation of the API, by feature.
 * The service refuses to start when one has no route; OpenAPI and the renderer's client are
 * generated from it. Add a feature's operations here (one import, one entry).
 */
export const CONTRACT = {
  auth: authOperations,
  system: systemOperations,
  cases: caseOperations,
  customers: customerOperations,
  users: userOperations,
  apiClients: apiClientOperations,
  toggles: toggleOperations,
  audit: auditOperations,
  dashboard: dashboardOperations,
  analytics: analyticsOperations,
  assessments: assessmentOperations,
  decisionEngine: decisionEngineOperations,
  fxRates: fxRateOperations,
  signInLocks: signInLockOperations,
  backtests: backtestOperations,
  demo: demoOperations,
  sync: syncOperations,
  riskReports: riskReportOperations,
  risks: riskOperations,
  controls: controlOperations,
  riskMatrix: riskMatrixOperations,
  kris: kriOperations,
  riskEvents: riskEventOperations,
  notifications: notificationOperations,
  integration: integrationOperations,
  riskModels: riskModelOperations,
  consents: consentOperations,
  obApps: obAppOperations,
  webhookDeliveries: webhookDeliveryOperations,
  webhookSubscriptions: webhookSubscriptionOperations,
  openBanking: openBankingOperations,
  alerts: alertOperations,
  alertChannels: alertChannelOperations,
  alertRules: alertRuleOperations,
  alertThresholds: alertThresholdOperations,
  customerContactChanges: customerContactChangeOperations,
} as const;

export const ALL_OPERATIONS: readonly OperationSpec[] = Object.values(CONTRACT).flatMap((group) => Object.values(group) as OperationSpec[]);

/** Looks an operation up by its name (e.g. for replaying a command from an outbox). */
export function operationByName(name: string): OperationSpec | undefined {
  return ALL_OPERATIONS.find((op) => op.name === name);
}

export * from './operation.ts';
