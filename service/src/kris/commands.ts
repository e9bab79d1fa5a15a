import { Cron } from 'croner';
import { z } from 'zod';
import { defineCommand, reserveCounter, type CommandContext } from '../commands/bus.ts';
import { TenantScope } from '../auth/tenant-scope.ts';
import { tenantIdsOf } from '../auth/authenticator.ts';
import { toBool } from '../db/database.ts';
import type { KriRow } from '../db/schema-kris.ts';
import { conflict, notFound, validationFailed } from '../errors.ts';
import { HumanRole } from '../../../shared/src/roles.ts';
import { tenantAccessFor, tenantAllowed } from '../../../shared/src/tenants.ts';
import { DEFAULT_KRI_GRACE_HOURS, evaluateKri, KriCreateInput, KriDeleteQuery, KriMeasurementInput, KriUpdateInput } from '../../../shared/src/kris.ts';
import { KRI_ENTITY, KRI_RISK_ENTITY, kriChanged, toKri } from './mapping.ts';
import { recordKriMeasurementWithin } from './measure.ts';

type KriFieldsInput = Omit<z.output<typeof KriUpdateInput>, 'expectedVersion'>;

/** A KRI of the actor's tenants (another tenant's is 404), optionally at the version the caller saw (409). */
export async function loadKri(ctx: CommandContext, id: string, expectedVersion?: number): Promise<KriRow> {
  const row = await ctx.trx.selectFrom('kris').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  if (!row || !new TenantScope(ctx.actor.tenants).allows(row.tenant_id)) throw notFound('KRI');
  if (expectedVersion !== undefined && row.version !== expectedVersion) {
    throw conflict(`KRI ${row.reference} was changed by ${row.updated_by} meanwhile (version ${row.version}): reload it`);
  }
  return row;
}

/** Owner, schedule and linked risks must make sense for the KRI's tenant; each problem names its field. */
async function checkReferences(ctx: CommandContext, tenantId: string, input: KriFieldsInput): Promise<void> {
  if (input.ownerId) {
    const user = await ctx.trx.selectFrom('users').select(['role', 'active', 'tenant_ids', 'display_name']).where('id', '=', input.ownerId).executeTakeFirst();
    const role = HumanRole.safeParse(user?.role);
    if (!user || !toBool(user.active) || !role.success) throw validationFailed([{ path: 'body.ownerId', message: 'no such active user' }]);
    if (!tenantAllowed(tenantAccessFor(role.data, tenantIdsOf(user.tenant_ids)), tenantId)) {
      throw validationFailed([{ path: 'body.ownerId', message: `${user.display_name} does not act for tenant ${tenantId}` }]);
    }
  }
  if (input.schedule) {
    try {
      new Cron(input.schedule, { paused: true });
    } catch (error) {
      throw validationFailed([{ path: 'body.schedule', message: `not a cron string croner accepts: ${(error as Error).message}` }]);
    }
  }
  if (input.riskIds.length > 0) {
    const risks = await ctx.trx.selectFrom('risks').select(['id', 'tenant_id']).where('id', 'in', input.riskIds).where('deleted_at', 'is', null).execute();
    const found = new Map(risks.map((r) => [r.id, r.tenant_id]));
    input.riskIds.forEach((id, i) => {
      if (found.get(id) !== tenantId) throw validationFailed([{ path: `body.riskIds.${i}`, message: `no risk ${id} in tenant ${tenantId}` }]);
    });
  }
}

function fieldColumns(input: KriFieldsInput) {
  return {
    name: input.name,
    description: input.description,
    unit: input.unit,
    direction: input.direction,
    threshold_warning: input.thresholdWarning,
    threshold_critical: input.thresholdCritical,
    frequency: input.frequency,
    grace_hours: input.graceHours ?? DEFAULT_KRI_GRACE_HOURS[input.frequency],
    data_source: input.dataSource,
    measurement: input.measurement,
    metric: input.metric ?? null,
    schedule: input.schedule ?? null,
  };
}

/** Makes the KRI's live risk links exactly `riskIds`: new links are added, dropped ones tombstoned (rule 5). */
async function syncRiskLinks(ctx: CommandContext, kri: Pick<KriRow, 'id' | 'tenant_id'>, riskIds: readonly string[]): Promise<void> {
  const links = await ctx.trx.selectFrom('kri_risks').selectAll().where('kri_id', '=', kri.id).where('deleted_at', 'is', null).execute();
  const now = ctx.now.toISOString();
  for (const link of links.filter((l) => !riskIds.includes(l.risk_id))) {
    const version = link.version + 1;
    await ctx.trx.updateTable('kri_risks').set({ deleted_at: now, version }).where('id', '=', link.id).execute();
    ctx.audit({ entityType: KRI_RISK_ENTITY, entityId: link.id, before: { kriId: kri.id, riskId: link.risk_id }, after: null, tenantId: kri.tenant_id });
    ctx.change({ entityType: KRI_RISK_ENTITY, entityId: link.id, operation: 'delete', version, data: null });
  }
  const have = new Set(links.map((l) => l.risk_id));
  for (const riskId of riskIds.filter((id) => !have.has(id))) {
    const row = {
      id: ctx.newId(),
      kri_id: kri.id,
      risk_id: riskId,
      tenant_id: kri.tenant_id,
      created_by: ctx.actor.name,
      created_at: now,
      version: 1,
      deleted_at: null,
    };
    await ctx.trx.insertInto('kri_risks').values(row).execute();
    const data = { id: row.id, kriId: kri.id, riskId, tenantId: kri.tenant_id };
    ctx.audit({ entityType: KRI_RISK_ENTITY, entityId: row.id, before: null, after: data, tenantId: kri.tenant_id });
    ctx.change({ entityType: KRI_RISK_ENTITY, entityId: row.id, operation: 'upsert', version: 1, data });
  }
}

export const createKri = defineCommand({
  name: 'kri.create',
  input: KriCreateInput,
  permission: 'risk:manage',
  async apply(ctx, input) {
    new TenantScope(ctx.actor.tenants).assertInput(input.tenantId, 'body.tenantId');
    await checkReferences(ctx, input.tenantId, input);
    const now = ctx.now.toISOString();
    const row = {
      id: ctx.newId(),
      tenant_id: input.tenantId,
      reference: `KRI-${String(await reserveCounter(ctx.trx, 'kri.reference')).padStart(4, '0')}`,
      ...fieldColumns(input),
      owner_id: input.ownerId ?? (ctx.actor.kind === 'user' ? ctx.actor.id : null),
      last_value: null,
      last_measured_at: null,
      status: 'NO_DATA',
      stale_flagged_at: null,
      created_by: ctx.actor.name,
      created_at: now,
      updated_by: ctx.actor.name,
      updated_at: now,
      version: 1,
      deleted_at: null,
    } satisfies KriRow;
    await ctx.trx.insertInto('kris').values(row).execute();
    await syncRiskLinks(ctx, row, input.riskIds);
    const after = await toKri(ctx.trx, row, ctx.now);
    ctx.audit({ entityType: KRI_ENTITY, entityId: row.id, before: null, after: { ...after }, tenantId: row.tenant_id });
    ctx.change({ entityType: KRI_ENTITY, entityId: row.id, operation: 'upsert', version: 1, data: { ...after } });
    ctx.announce({ event: 'kri.changed', payload: kriChanged(after), audience: 'risk:read', tenantId: row.tenant_id });
    return after;
  },
});

/** Edits a KRI. New thresholds re-judge its last value at once (the status shown must match the thresholds shown). */
export const updateKri = defineCommand({
  name: 'kri.update',
  input: KriUpdateInput.safeExtend({ id: z.uuid() }),
  permission: 'risk:manage',
  async apply(ctx, input) {
    const existing = await loadKri(ctx, input.id, input.expectedVersion);
    await checkReferences(ctx, existing.tenant_id, input);
    const before = await toKri(ctx.trx, existing, ctx.now);
    const columns = fieldColumns(input);
    const status: KriRow['status'] =
      existing.last_value === null
        ? 'NO_DATA'
        : evaluateKri(columns.direction, columns.threshold_warning, columns.threshold_critical, Number(existing.last_value));
    const changes = {
      ...columns,
      owner_id: input.ownerId ?? existing.owner_id,
      status,
      updated_by: ctx.actor.name,
      updated_at: ctx.now.toISOString(),
      version: existing.version + 1,
    };
    await ctx.trx.updateTable('kris').set(changes).where('id', '=', existing.id).execute();
    await syncRiskLinks(ctx, existing, input.riskIds);
    const after = await toKri(ctx.trx, { ...existing, ...changes }, ctx.now);
    ctx.audit({ entityType: KRI_ENTITY, entityId: existing.id, before: { ...before }, after: { ...after }, tenantId: existing.tenant_id });
    ctx.change({ entityType: KRI_ENTITY, entityId: existing.id, operation: 'upsert', version: after.version, data: { ...after } });
    ctx.announce({ event: 'kri.changed', payload: kriChanged(after), audience: 'risk:read', tenantId: existing.tenant_id });
    return after;
  },
});

/** Deletes a KRI: a tombstone, with its links tombstoned too; measurements and events stay as history. */
export const deleteKri = defineCommand({
  name: 'kri.delete',
  input: KriDeleteQuery.safeExtend({ id: z.uuid() }),
  permission: 'risk:manage',
  async apply(ctx, input) {
    const existing = await loadKri(ctx, input.id, input.expectedVersion);
    const before = await toKri(ctx.trx, existing, ctx.now);
    await syncRiskLinks(ctx, existing, []);
    const version = existing.version + 1;
    const now = ctx.now.toISOString();
    await ctx.trx.updateTable('kris').set({ deleted_at: now, updated_at: now, updated_by: ctx.actor.name, version }).where('id', '=', existing.id).execute();
    ctx.audit({
      entityType: KRI_ENTITY,
      entityId: existing.id,
      before: { ...before },
      after: input.reason ? { deleted: true, reason: input.reason } : null,
      tenantId: existing.tenant_id,
    });
    ctx.change({ entityType: KRI_ENTITY, entityId: existing.id, operation: 'delete', version, data: null });
  },
});

/** A person records a value by hand (POST /api/v1/kris/:id/measurements). */
export const recordKriMeasurement = defineCommand({
  name: 'kri.record-measurement',
  input: KriMeasurementInput.safeExtend({ kriId: z.uuid() }),
  permission: 'risk:manage',
  async apply(ctx, input) {
    const kri = await loadKri(ctx, input.kriId);
    return recordKriMeasurementWithin(ctx, {
      kriId: kri.id,
      value: input.value,
      measuredAt: input.measuredAt ?? ctx.now.toISOString(),
      note: input.note ?? null,
      source: 'MANUAL',
    });
  },
});
