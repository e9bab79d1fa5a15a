import { z } from 'zod';
import { defineCommand, type CommandContext } from '../commands/bus.ts';
import { TenantScope } from '../auth/tenant-scope.ts';
import { conflict, notFound } from '../errors.ts';
import type { RiskEventRow } from '../db/schema-kris.ts';
import { RiskEventCloseInput, RiskEventCreateInput, RiskEventUpdateInput } from '../../../shared/src/risk-events.ts';
import { assertEventLinks, recordRiskEventWithin, updateRiskEventRowWithin } from './record.ts';

/** One event, checked against the actor's tenants (another tenant's is 404) and the version the caller saw (409). */
async function loadEvent(ctx: CommandContext, id: string, expectedVersion: number): Promise<RiskEventRow> {
  const row = await ctx.trx.selectFrom('risk_events').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  if (!row || !new TenantScope(ctx.actor.tenants).allows(row.tenant_id)) throw notFound('risk event');
  if (row.version !== expectedVersion)
    throw conflict(`risk event ${row.reference} was changed by ${row.updated_by} meanwhile (version ${row.version}): reload it`);
  return row;
}

/** A person records an incident, loss or near miss (source MANUAL). */
export const createRiskEvent = defineCommand({
  name: 'risk-event.create',
  input: RiskEventCreateInput,
  permission: 'risk:manage',
  async apply(ctx, input) {
    // Checked here too, so a command replayed by name is scoped like an HTTP call (ARCHITECTURE.md "Tenants").
    new TenantScope(ctx.actor.tenants).assertInput(input.tenantId, 'body.tenantId');
    return recordRiskEventWithin(ctx, {
      tenantId: input.tenantId,
      riskId: input.riskId ?? null,
      kriId: input.kriId ?? null,
      type: input.type,
      severity: input.severity,
      source: 'MANUAL',
      title: input.title,
      description: input.description,
      occurredAt: input.occurredAt,
      financialImpact: input.financialImpact ?? null,
      currency: input.currency ?? null,
    });
  },
});

export const updateRiskEvent = defineCommand({
  name: 'risk-event.update',
  input: RiskEventUpdateInput.safeExtend({ id: z.uuid() }),
  permission: 'risk:manage',
  async apply(ctx, input) {
    const row = await loadEvent(ctx, input.id, input.expectedVersion);
    if (row.status === 'CLOSED') throw conflict(`risk event ${row.reference} is closed`);
    await assertEventLinks(ctx, row.tenant_id, input.riskId, null, 'body');
    return updateRiskEventRowWithin(ctx, row, {
      risk_id: input.riskId ?? null,
      type: input.type,
      severity: input.severity,
      title: input.title,
      description: input.description,
      occurred_at: new Date(input.occurredAt).toISOString(),
      financial_impact: input.financialImpact ?? null,
      currency: input.currency ?? null,
    });
  },
});

export const closeRiskEvent = defineCommand({
  name: 'risk-event.close',
  input: RiskEventCloseInput.safeExtend({ id: z.uuid() }),
  permission: 'risk:manage',
  async apply(ctx, input) {
    const row = await loadEvent(ctx, input.id, input.expectedVersion);
    if (row.status === 'CLOSED') throw conflict(`risk event ${row.reference} is already closed`);
    return updateRiskEventRowWithin(ctx, row, {
      status: 'CLOSED',
      closed_at: ctx.now.toISOString(),
      closed_by: ctx.actor.name,
      close_note: input.note ?? null,
    });
  },
});
