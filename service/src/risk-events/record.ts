import { reserveCounter, type CommandContext } from '../commands/bus.ts';
import { toJson } from '../db/database.ts';
import type { RiskEventRow, RiskEventUpdate } from '../db/schema-kris.ts';
import { validationFailed } from '../errors.ts';
import type { RiskEvent, RiskEventSeverity, RiskEventSource, RiskEventType } from '../../../shared/src/risk-events.ts';
import { RISK_EVENT_ENTITY, riskEventChanged, toRiskEvent } from './mapping.ts';

export interface RecordRiskEventInput {
  tenantId: string;
  riskId?: string | null;
  kriId?: string | null;
  kriMeasurementId?: string | null;
  type: RiskEventType;
  severity: RiskEventSeverity;
  source: RiskEventSource;
  title: string;
  description?: string;
  /** ISO instant. */
  occurredAt: string;
  financialImpact?: number | null;
  currency?: string | null;
  /** The sender's id for the event (integration body, queue eventId): a repeat returns the first event. */
  externalId?: string | null;
  details?: Record<string, unknown> | null;
}

/** Human reference of a new risk event: EVT-0001, … (one counter for the bank). */
export async function nextEventReference(ctx: CommandContext): Promise<string> {
  return `EVT-${String(await reserveCounter(ctx.trx, 'risk_event.reference')).padStart(4, '0')}`;
}

/** A risk or KRI an event links to must exist and belong to the event's tenant (else 400 naming the field). */
export async function assertEventLinks(
  ctx: CommandContext,
  tenantId: string,
  riskId: string | null | undefined,
  kriId: string | null | undefined,
  prefix: string,
) {
  if (riskId) {
    const risk = await ctx.trx.selectFrom('risks').select('tenant_id').where('id', '=', riskId).where('deleted_at', 'is', null).executeTakeFirst();
    if (!risk || risk.tenant_id !== tenantId) throw validationFailed([{ path: `${prefix}.riskId`, message: `no risk ${riskId} in tenant ${tenantId}` }]);
  }
  if (kriId) {
    const kri = await ctx.trx.selectFrom('kris').select('tenant_id').where('id', '=', kriId).where('deleted_at', 'is', null).executeTakeFirst();
    if (!kri || kri.tenant_id !== tenantId) throw validationFailed([{ path: `${prefix}.kriId`, message: `no KRI ${kriId} in tenant ${tenantId}` }]);
  }
}

/**
 * Records a risk event inside the caller's command (issue 13; used by KRI breaches, the integration
 * endpoints and the risk-events queue consumer). Idempotent on (tenantId, source, externalId): a
 * repeat returns the event already recorded and writes nothing. Links are checked against the tenant.
 */
export async function recordRiskEventWithin(ctx: CommandContext, input: RecordRiskEventInput): Promise<RiskEvent> {
  if (input.externalId) {
    const existing = await ctx.trx
      .selectFrom('risk_events')
      .selectAll()
      .where('tenant_id', '=', input.tenantId)
      .where('source', '=', input.source)
      .where('external_id', '=', input.externalId)
      .executeTakeFirst();
    if (existing) return toRiskEvent(existing);
  }
  await assertEventLinks(ctx, input.tenantId, input.riskId, input.kriId, 'body');
  const now = ctx.now.toISOString();
  const row = {
    id: ctx.newId(),
    tenant_id: input.tenantId,
    reference: await nextEventReference(ctx),
    risk_id: input.riskId ?? null,
    kri_id: input.kriId ?? null,
    kri_measurement_id: input.kriMeasurementId ?? null,
    type: input.type,
    severity: input.severity,
    source: input.source,
    title: input.title.slice(0, 300),
    description: input.description ?? '',
    occurred_at: new Date(input.occurredAt).toISOString(),
    financial_impact: input.financialImpact ?? null,
    currency: input.currency ?? null,
    status: 'OPEN',
    external_id: input.externalId ?? null,
    details: input.details ? toJson(input.details) : null,
    closed_at: null,
    closed_by: null,
    close_note: null,
    created_by: ctx.actor.name,
    created_at: now,
    updated_by: ctx.actor.name,
    updated_at: now,
    version: 1,
    deleted_at: null,
  } satisfies RiskEventRow;
  // A concurrent sender of the same external id may commit first: its row wins, this one is not
  // written (PostgreSQL waits for that transaction, then skips), and the repeat gets the first event.
  const inserted = await ctx.trx
    .insertInto('risk_events')
    .values(row)
    .onConflict((oc) => oc.columns(['tenant_id', 'source', 'external_id']).doNothing())
    .executeTakeFirst();
  if (input.externalId && Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) {
    const first = await ctx.trx
      .selectFrom('risk_events')
      .selectAll()
      .where('tenant_id', '=', input.tenantId)
      .where('source', '=', input.source)
      .where('external_id', '=', input.externalId)
      .executeTakeFirstOrThrow();
    return toRiskEvent(first);
  }
  const event = toRiskEvent(row);
  ctx.audit({ entityType: RISK_EVENT_ENTITY, entityId: row.id, before: null, after: { ...event }, tenantId: row.tenant_id });
  ctx.change({ entityType: RISK_EVENT_ENTITY, entityId: row.id, operation: 'upsert', version: 1, data: { ...event } });
  ctx.announce({ event: 'risk-event.changed', payload: riskEventChanged(event), audience: 'risk:read', tenantId: row.tenant_id });
  return event;
}

/** Writes a changed event row with its audit, change-log and announcement (the one update path). */
export async function updateRiskEventRowWithin(ctx: CommandContext, before: RiskEventRow, changes: RiskEventUpdate): Promise<RiskEvent> {
  const next = { ...changes, updated_by: ctx.actor.name, updated_at: ctx.now.toISOString(), version: before.version + 1 };
  await ctx.trx.updateTable('risk_events').set(next).where('id', '=', before.id).execute();
  const after = toRiskEvent({ ...before, ...next } as RiskEventRow);
  ctx.audit({ entityType: RISK_EVENT_ENTITY, entityId: before.id, before: { ...toRiskEvent(before) }, after: { ...after }, tenantId: before.tenant_id });
  ctx.change({ entityType: RISK_EVENT_ENTITY, entityId: before.id, operation: 'upsert', version: after.version, data: { ...after } });
  ctx.announce({ event: 'risk-event.changed', payload: riskEventChanged(after), audience: 'risk:read', tenantId: before.tenant_id });
  return after;
}
