import type { Kysely } from 'kysely';
import type { z } from 'zod';
import { defineCommand } from '../../commands/bus.ts';
import type { Database } from '../../db/schema.ts';
import type { AlertThresholdRow } from '../../db/schema-alerting.ts';
import { dbBool, fromJson, toBool, toIso, toJson } from '../../db/database.ts';
import { lockForUpdate } from '../../db/dialect.ts';
import { conflict, forbidden, validationFailed } from '../../errors.ts';
import { TenantScope } from '../../auth/tenant-scope.ts';
import { AlertPattern, type AlertThresholdSet, PatternThresholds, UpdateAlertThresholdRequest } from '../../../../shared/src/alerts.ts';
import { DEFAULT_PATTERN_THRESHOLDS } from '../../../../shared/src/alert-threshold-defaults.ts';
import type { ThresholdMap } from './types.ts';

/**
 * Detector thresholds are data per tenant (issue 15): the tenant's row, else the bank's row
 * (tenant '*'), else the product's default (shared/src/alert-threshold-defaults.ts). A disabled
 * row switches the detector off for that tenant.
 */
export const ALERT_THRESHOLD_ENTITY = 'alert_threshold';

type Db = Kysely<Database>;

interface Resolved {
  pattern: AlertPattern;
  enabled: boolean;
  thresholds: PatternThresholds;
  row: AlertThresholdRow | null;
}

/** A stored row that no longer parses (a field was tightened since) falls back to the default rather than stopping detection. */
function parseStored(row: AlertThresholdRow): PatternThresholds | null {
  const parsed = PatternThresholds.safeParse(fromJson(row.thresholds));
  return parsed.success && parsed.data.pattern === row.pattern ? parsed.data : null;
}

async function resolveAll(db: Db, tenantId: string): Promise<Resolved[]> {
  const rows = await db
    .selectFrom('alert_thresholds')
    .selectAll()
    .where('tenant_id', 'in', tenantId === '*' ? ['*'] : [tenantId, '*'])
    .execute();
  return AlertPattern.options.map((pattern) => {
    const own = rows.find((r) => r.pattern === pattern && r.tenant_id === tenantId);
    const bank = rows.find((r) => r.pattern === pattern && r.tenant_id === '*');
    for (const row of [own, bank]) {
      const thresholds = row ? parseStored(row) : null;
      if (row && thresholds) return { pattern, enabled: toBool(row.enabled), thresholds, row };
    }
    return { pattern, enabled: true, thresholds: DEFAULT_PATTERN_THRESHOLDS[pattern], row: null };
  });
}

/** The thresholds in force for a tenant, enabled detectors only (what the stream and the job run with). */
export async function thresholdsFor(db: Db, tenantId: string): Promise<ThresholdMap> {
  const map: Record<string, PatternThresholds> = {};
  for (const r of await resolveAll(db, tenantId)) if (r.enabled) map[r.pattern] = r.thresholds;
  return map as ThresholdMap;
}

function toSet(tenantId: string, r: Resolved): AlertThresholdSet {
  const own = r.row && r.row.tenant_id === tenantId ? r.row : null;
  return {
    tenantId,
    pattern: r.pattern,
    enabled: r.enabled,
    thresholds: r.thresholds,
    isDefault: r.row === null,
    updatedBy: r.row?.updated_by ?? null,
    updatedAt: r.row ? toIso(r.row.updated_at) : null,
    // The version to send back on update: the tenant's own row's, 0 when it inherits (none of its own yet).
    version: own?.version ?? 0,
  };
}

/** alertThreshold.list: every pattern's thresholds for a tenant (or '*'), stored or inherited or default. */
export async function listAlertThresholds(db: Db, query: { tenantId: string }, scope: TenantScope): Promise<AlertThresholdSet[]> {
  if (query.tenantId !== '*') scope.assertInput(query.tenantId, 'query.tenantId');
  return (await resolveAll(db, query.tenantId)).map((r) => toSet(query.tenantId, r));
}

/** alertThreshold.update: one detector's thresholds for a tenant or every tenant, audited; optimistic on version. */
export const updateAlertThreshold = defineCommand({
  name: 'alertThreshold.update',
  input: UpdateAlertThresholdRequest.safeExtend({ pattern: AlertPattern }),
  permission: 'alert:configure',
  async apply(ctx, input): Promise<AlertThresholdSet> {
    if (input.thresholds.pattern !== input.pattern) {
      throw validationFailed([{ path: 'body.thresholds.pattern', message: `must be ${input.pattern}, the pattern in the path` }]);
    }
    // The bank's row applies to every tenant: only someone acting for every tenant sets it.
    if (input.tenantId === '*' && ctx.actor.tenants !== 'ALL') throw forbidden('only a user acting for every tenant sets the bank-wide thresholds (*)');
    if (input.tenantId !== '*') new TenantScope(ctx.actor.tenants).assertInput(input.tenantId, 'body.tenantId');
    const existing = await lockForUpdate(
      ctx.dialect,
      ctx.trx.selectFrom('alert_thresholds').selectAll().where('tenant_id', '=', input.tenantId).where('pattern', '=', input.pattern),
    ).executeTakeFirst();
    if ((existing?.version ?? 0) !== input.version) {
      throw conflict(
        `the ${input.pattern} thresholds of ${input.tenantId} changed since you read them (version ${existing?.version ?? 0}): reload and try again`,
      );
    }
    const now = ctx.now.toISOString();
    const values = {
      enabled: dbBool(ctx.dialect, input.enabled),
      thresholds: toJson(input.thresholds),
      updated_by: ctx.actor.name.slice(0, 100),
      updated_at: now,
      version: (existing?.version ?? 0) + 1,
    };
    const id = existing?.id ?? ctx.newId();
    if (existing) await ctx.trx.updateTable('alert_thresholds').set(values).where('id', '=', existing.id).execute();
    else
      await ctx.trx
        .insertInto('alert_thresholds')
        .values({ id, tenant_id: input.tenantId, pattern: input.pattern, created_at: now, ...values })
        .execute();
    const before = existing ? { enabled: toBool(existing.enabled), thresholds: fromJson<unknown>(existing.thresholds), version: existing.version } : null;
    const after = { tenantId: input.tenantId, pattern: input.pattern, enabled: input.enabled, thresholds: input.thresholds, version: values.version };
    const tenantId = input.tenantId === '*' ? null : input.tenantId;
    ctx.audit({ entityType: ALERT_THRESHOLD_ENTITY, entityId: id, tenantId, before, after });
    ctx.change({ entityType: ALERT_THRESHOLD_ENTITY, entityId: id, operation: 'upsert', version: values.version, data: after });
    return {
      tenantId: input.tenantId,
      pattern: input.pattern,
      enabled: input.enabled,
      thresholds: input.thresholds,
      isDefault: false,
      updatedBy: values.updated_by,
      updatedAt: now,
      version: values.version,
    };
  },
});

export type UpdateAlertThresholdInput = z.input<typeof updateAlertThreshold.input>;
