import { fromJsonOrNull, toIso, toIsoOrNull, toNumberOrNull } from '../db/database.ts';
import type { RiskEventRow } from '../db/schema-kris.ts';
import type { RiskEvent } from '../../../shared/src/risk-events.ts';
import type { RiskEventChangedEvent } from '../../../shared/src/events.ts';

export const RISK_EVENT_ENTITY = 'risk_event';

export function toRiskEvent(row: RiskEventRow): RiskEvent {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    reference: row.reference,
    riskId: row.risk_id,
    kriId: row.kri_id,
    kriMeasurementId: row.kri_measurement_id,
    type: row.type,
    severity: row.severity,
    source: row.source,
    title: row.title,
    description: row.description,
    occurredAt: toIso(row.occurred_at),
    financialImpact: toNumberOrNull(row.financial_impact),
    currency: row.currency,
    status: row.status,
    externalId: row.external_id,
    details: fromJsonOrNull<Record<string, unknown>>(row.details),
    closedAt: toIsoOrNull(row.closed_at),
    closedBy: row.closed_by,
    closeNote: row.close_note,
    createdBy: row.created_by,
    createdAt: toIso(row.created_at),
    updatedBy: row.updated_by,
    updatedAt: toIso(row.updated_at),
    version: row.version,
  };
}

export function riskEventChanged(event: RiskEvent): RiskEventChangedEvent {
  return {
    eventId: event.id,
    reference: event.reference,
    kriId: event.kriId,
    riskId: event.riskId,
    severity: event.severity,
    status: event.status,
    version: event.version,
  };
}
