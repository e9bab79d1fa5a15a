import type { Kysely } from 'kysely';
import type { CommandContext, Actor } from '../commands/bus.ts';
import type { Database } from '../db/schema.ts';
import type { Updateable } from 'kysely';
import type { ControlRow, RiskRow, RisksTable } from '../db/schema-risk-register.ts';
import { fromJson, toIso, toJson } from '../db/database.ts';
import { lockForUpdate } from '../db/dialect.ts';
import { conflict, notFound, validationFailed } from '../errors.ts';
import { TenantScope } from '../auth/tenant-scope.ts';
import { tenantIdsOf } from '../auth/authenticator.ts';
import { Role } from '../../../shared/src/roles.ts';
import { tenantAccessFor, tenantAllowed } from '../../../shared/src/tenants.ts';
import { scoreOn, type ControlEffectiveness, type ControlType, type Risk, type RiskMatrixDefinition } from '../../../shared/src/risk-register.ts';
import { deriveResidual } from './residual.ts';
import { toRisk, type MatrixRef } from './mapping.ts';

/**
 * What every register command shares: loading a record checked against the actor's tenants (404
 * for another tenant's, ARCHITECTURE.md "Tenants" — checked inside the command, so a replayed
 * command is checked too), the optimistic version check (409), owner validation (400 naming the
 * field) and the one write path for a risk row (version, audit, change log: rule 1 and 5).
 */

export const RISK_ENTITY = 'risk';

/** Tells register screens of the record's tenant to refetch, after commit (ARCHITECTURE.md rule 1). */
export function announceRegister(
  ctx: CommandContext,
  entity: 'risk' | 'control' | 'risk-acceptance' | 'risk-matrix',
  row: { id: string; version: number; reference?: string; tenant_id?: string | null },
): void {
  ctx.announce({
    event: 'register.changed',
    audience: 'risk:read',
    tenantId: row.tenant_id ?? null,
    payload: { entity, id: row.id, reference: row.reference ?? null, version: row.version },
  });
}

export function scopeOf(actor: Actor): TenantScope {
  return new TenantScope(actor.tenants);
}

export function checkVersion(row: { version: number }, expected: number, what: string): void {
  if (row.version !== expected) throw conflict(`${what} has changed (version ${row.version}, you saw ${expected}): reload and try again`);
}

export async function loadRisk(ctx: CommandContext, id: string): Promise<RiskRow> {
  const row = await lockForUpdate(ctx.dialect, ctx.trx.selectFrom('risks').selectAll().where('id', '=', id).where('deleted_at', 'is', null)).executeTakeFirst();
  if (!row || !scopeOf(ctx.actor).allows(row.tenant_id)) throw notFound('risk');
  return row;
}

export async function loadControl(ctx: CommandContext, id: string, what = 'control'): Promise<ControlRow> {
  const row = await lockForUpdate(
    ctx.dialect,
    ctx.trx.selectFrom('controls').selectAll().where('id', '=', id).where('deleted_at', 'is', null),
  ).executeTakeFirst();
  if (!row || !scopeOf(ctx.actor).allows(row.tenant_id)) throw notFound(what);
  return row;
}

/** An owner is an active user who acts for the record's tenant. */
export async function assertOwner(ctx: CommandContext, userId: string, tenantId: string, path: string): Promise<string> {
  const user = await ctx.trx.selectFrom('users').select(['display_name', 'role', 'active', 'tenant_ids']).where('id', '=', userId).executeTakeFirst();
  if (!user || !(user.active === true || user.active === 1)) throw validationFailed([{ path, message: 'no active user has this id' }]);
  const role = Role.safeParse(user.role);
  if (!role.success || !tenantAllowed(tenantAccessFor(role.data, tenantIdsOf(user.tenant_ids)), tenantId)) {
    throw validationFailed([{ path, message: `${user.display_name} does not act for tenant ${tenantId}` }]);
  }
  return user.display_name;
}

export async function userNames(db: Kysely<Database>, ids: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', unique).execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

export async function userName(db: Kysely<Database>, id: string): Promise<string> {
  return (await userNames(db, [id])).get(id) ?? 'unknown user';
}

export async function matrixById(db: Kysely<Database>, id: string | null): Promise<MatrixRef | undefined> {
  if (!id) return undefined;
  const row = await db.selectFrom('risk_matrix_versions').select(['version_number', 'definition']).where('id', '=', id).executeTakeFirst();
  return row ? { versionNumber: row.version_number, definition: fromJson<RiskMatrixDefinition>(row.definition) } : undefined;
}

export async function currentMatrixRow(db: Kysely<Database>) {
  return db.selectFrom('risk_matrix_versions').selectAll().where('deleted_at', 'is', null).orderBy('version_number', 'desc').limit(1).executeTakeFirst();
}

/** The live controls linked to a risk. */
export async function linkedControls(db: Kysely<Database>, riskId: string) {
  const rows = await db
    .selectFrom('risk_controls')
    .innerJoin('controls', 'controls.id', 'risk_controls.control_id')
    .select(['controls.id', 'controls.reference', 'controls.name', 'controls.type', 'controls.effectiveness'])
    .where('risk_controls.risk_id', '=', riskId)
    .where('risk_controls.deleted_at', 'is', null)
    .where('controls.deleted_at', 'is', null)
    .execute();
  return rows.map((r) => ({ ...r, type: r.type as ControlType, effectiveness: r.effectiveness as ControlEffectiveness }));
}

/** The risk as the API shows it, read inside the command's transaction. */
export async function riskView(ctx: CommandContext, row: RiskRow): Promise<Risk> {
  const [ownerName, matrix, controls] = await Promise.all([
    userName(ctx.trx, row.owner_id),
    matrixById(ctx.trx, row.matrix_version_id),
    linkedControls(ctx.trx, row.id),
  ]);
  return toRisk(row, { ownerName, matrix, controlCount: controls.length, now: ctx.now });
}

/** The one write path for a risk row: version + 1, audit (before/after) and change-log row. */
export async function writeRisk(ctx: CommandContext, before: RiskRow, patch: Omit<Updateable<RisksTable>, 'id' | 'version' | 'tenant_id'>): Promise<Risk> {
  const now = ctx.now.toISOString();
  const values = { ...patch, version: before.version + 1, updated_by: ctx.actor.name, updated_at: now };
  await ctx.trx.updateTable('risks').set(values).where('id', '=', before.id).execute();
  const after = { ...before, ...values } as RiskRow;
  const view = await riskView(ctx, after);
  const changed = Object.fromEntries(Object.keys(patch).map((k) => [k, before[k as keyof RiskRow]]));
  ctx.audit({ entityType: RISK_ENTITY, entityId: before.id, tenantId: before.tenant_id, before: changed, after: { ...patch } });
  ctx.change({ entityType: RISK_ENTITY, entityId: before.id, operation: 'upsert', version: after.version, data: { ...view } });
  announceRegister(ctx, 'risk', after);
  return view;
}

/** When the next review is due: the last assessment plus the review days of the residual level. */
export function nextReviewAt(lastAssessedAt: string, matrix: RiskMatrixDefinition, residualLevelKey: string): string {
  const level = matrix.levels.find((l) => l.key === residualLevelKey);
  return new Date(Date.parse(lastAssessedAt) + (level?.reviewDays ?? 0) * 86_400_000).toISOString();
}

/**
 * Recomputes a risk's residual from its inherent score and its linked controls' effectiveness now,
 * on the matrix it was last assessed on, and writes the risk when anything changed. Called after
 * a control is linked or unlinked, retyped, retired or tested. An unassessed risk has no residual.
 */
export async function refreshResidual(ctx: CommandContext, riskId: string): Promise<void> {
  const row = await ctx.trx.selectFrom('risks').selectAll().where('id', '=', riskId).where('deleted_at', 'is', null).executeTakeFirst();
  if (!row || row.inherent_likelihood === null || row.inherent_impact === null || row.last_assessed_at === null) return;
  const matrix = await matrixById(ctx.trx, row.matrix_version_id);
  if (!matrix) return;
  const derived = deriveResidual(matrix.definition, row.inherent_likelihood, row.inherent_impact, await linkedControls(ctx.trx, row.id));
  const residual = scoreOn(matrix.definition, derived.likelihood, derived.impact);
  const explanation = toJson(derived.explanation);
  const storedExplanation = row.residual_explanation === null ? null : toJson(fromJson(row.residual_explanation));
  if (row.residual_likelihood === residual.likelihood && row.residual_impact === residual.impact && storedExplanation === explanation) return;
  await writeRisk(ctx, row, {
    residual_likelihood: residual.likelihood,
    residual_impact: residual.impact,
    residual_score: residual.score,
    residual_level: residual.level.key,
    residual_explanation: explanation,
    next_review_at: nextReviewAt(toIso(row.last_assessed_at), matrix.definition, residual.level.key),
  });
}

/** The link row for a pair, created or revived (one row per pair, tombstoned on unlink). */
export async function linkWithin(ctx: CommandContext, riskId: string, controlId: string, tenantId: string): Promise<void> {
  const existing = await ctx.trx.selectFrom('risk_controls').selectAll().where('risk_id', '=', riskId).where('control_id', '=', controlId).executeTakeFirst();
  if (existing && existing.deleted_at === null) return;
  const now = ctx.now.toISOString();
  if (existing) {
    await ctx.trx
      .updateTable('risk_controls')
      .set({ deleted_at: null, version: existing.version + 1 })
      .where('id', '=', existing.id)
      .execute();
  } else {
    await ctx.trx
      .insertInto('risk_controls')
      .values({
        id: ctx.newId(),
        risk_id: riskId,
        control_id: controlId,
        tenant_id: tenantId,
        created_by: ctx.actor.name,
        created_at: now,
        version: 1,
        deleted_at: null,
      })
      .execute();
  }
  const id =
    existing?.id ??
    (await ctx.trx.selectFrom('risk_controls').select('id').where('risk_id', '=', riskId).where('control_id', '=', controlId).executeTakeFirstOrThrow()).id;
  const version = existing ? existing.version + 1 : 1;
  ctx.audit({ entityType: 'risk-control', entityId: id, tenantId, before: null, after: { riskId, controlId } });
  ctx.change({ entityType: 'risk-control', entityId: id, operation: 'upsert', version, data: { id, riskId, controlId, tenantId } });
}
