import type { Kysely } from 'kysely';
import type { CommandContext } from '../commands/bus.ts';
import { fromJson, toBool, toIso, toIsoOrNull } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import type { AlertRow, AlertRuleRow } from '../db/schema-alerting.ts';
import {
  AlertEntityType,
  AlertEvidence,
  AlertPattern,
  AlertResolution,
  AlertSeverity,
  AlertStatus,
  type Alert,
  type AlertRule,
} from '../../../shared/src/alerts.ts';
import { toRoutingRule } from './routing.ts';

export const ALERT_ENTITY = 'alert';
export const ALERT_RULE_ENTITY = 'alertRule';

/** Names the alert view shows beside ids (assignee, case reference), loaded once per page. */
export interface AlertNames {
  users: ReadonlyMap<string, string>;
  cases: ReadonlyMap<string, string>;
}

export function toAlert(row: AlertRow, names: AlertNames): Alert {
  return {
    id: row.id,
    reference: row.reference,
    tenantId: row.tenant_id,
    pattern: AlertPattern.parse(row.pattern),
    severity: AlertSeverity.parse(row.severity),
    title: row.title,
    entityType: AlertEntityType.parse(row.entity_type),
    entityId: row.entity_id,
    status: AlertStatus.parse(row.status),
    occurrences: row.occurrences,
    detectedAt: toIso(row.detected_at),
    firstSeenAt: toIso(row.first_seen_at),
    lastSeenAt: toIso(row.last_seen_at),
    assigneeId: row.assignee_id,
    assigneeName: row.assignee_id ? (names.users.get(row.assignee_id) ?? null) : null,
    acknowledgedBy: row.acknowledged_by,
    acknowledgedAt: toIsoOrNull(row.acknowledged_at),
    resolvedBy: row.resolved_by,
    resolvedAt: toIsoOrNull(row.resolved_at),
    resolution: row.resolution === null ? null : AlertResolution.parse(row.resolution),
    resolutionNote: row.resolution_note,
    caseId: row.case_id,
    caseReference: row.case_id ? (names.cases.get(row.case_id) ?? null) : null,
    escalationLevel: row.escalation_level,
    nextEscalationAt: toIsoOrNull(row.next_escalation_at),
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
    version: row.version,
  };
}

export function evidenceOf(row: Pick<AlertRow, 'evidence'>): AlertEvidence {
  return AlertEvidence.parse(fromJson(row.evidence));
}

/** Loads the assignee names and case references the rows point at (one query each). */
export async function namesFor(db: Kysely<Database>, rows: readonly Pick<AlertRow, 'assignee_id' | 'case_id'>[]): Promise<AlertNames> {
  const userIds = [...new Set(rows.map((r) => r.assignee_id).filter((v): v is string => v !== null))];
  const caseIds = [...new Set(rows.map((r) => r.case_id).filter((v): v is string => v !== null))];
  const [users, cases] = await Promise.all([
    userIds.length ? db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', userIds).execute() : Promise.resolve([]),
    caseIds.length ? db.selectFrom('cases').select(['id', 'reference']).where('id', 'in', caseIds).execute() : Promise.resolve([]),
  ]);
  return { users: new Map(users.map((u) => [u.id, u.display_name])), cases: new Map(cases.map((c) => [c.id, c.reference])) };
}

export async function toAlerts(db: Kysely<Database>, rows: readonly AlertRow[]): Promise<Alert[]> {
  const names = await namesFor(db, rows);
  return rows.map((row) => toAlert(row, names));
}

/** What the audit log keeps of an alert (its evidence is in the row; the audit keeps the state). */
export function alertAuditView(alert: Alert): Record<string, unknown> {
  const { createdAt: _c, updatedAt: _u, ...rest } = alert;
  return rest;
}

/** Audit, change-log and the `alert.changed` push (after commit) for one alert write. */
export function recordAlertChange(ctx: CommandContext, before: Alert | null, after: Alert): void {
  ctx.audit({
    entityType: ALERT_ENTITY,
    entityId: after.id,
    before: before ? alertAuditView(before) : null,
    after: alertAuditView(after),
    tenantId: after.tenantId,
  });
  ctx.change({ entityType: ALERT_ENTITY, entityId: after.id, operation: 'upsert', version: after.version, data: { ...after } });
  ctx.announce({
    event: 'alert.changed',
    payload: {
      id: after.id,
      reference: after.reference,
      tenantId: after.tenantId,
      status: after.status,
      severity: after.severity,
      pattern: after.pattern,
      version: after.version,
    },
    audience: 'alert:read',
    tenantId: after.tenantId,
  });
}

export function toAlertRule(row: AlertRuleRow, configurationName: string | null): AlertRule {
  return {
    ...toRoutingRule(row),
    enabled: toBool(row.enabled),
    sourceConfigurationName: configurationName,
    createdBy: row.created_by,
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
    version: row.version,
  };
}

export async function toAlertRules(db: Kysely<Database>, rows: readonly AlertRuleRow[]): Promise<AlertRule[]> {
  const ids = [...new Set(rows.map((r) => r.source_configuration_id).filter((v): v is string => v !== null))];
  const configs = ids.length
    ? await db.selectFrom('fraud_risk_configurations').select(['id', 'configuration_name as name']).where('id', 'in', ids).execute()
    : [];
  const names = new Map(configs.map((c) => [c.id, c.name]));
  return rows.map((row) => toAlertRule(row, row.source_configuration_id ? (names.get(row.source_configuration_id) ?? null) : null));
}
